/**
 * Pure pricing of an order from SKUs and quantities (CONTRACT §1: the server
 * computes every amount from its catalog, never from the client).
 */
import { BadUserInputError } from './errors';
import { multiplyMinor, sumMinor } from './money';
import type { PricedProduct } from '../model/priced-product';

/** What the client sends per line. */
export interface OrderItemInput {
  readonly sku: string;
  readonly quantity: number;
}

/** One priced line; amounts in minor units of the order currency. */
export interface PricedLine {
  sku: string;
  name: string;
  unitAmount: number;
  quantity: number;
  lineAmount: number;
}

/** A fully priced order: one currency, its total, one line per distinct SKU. */
export interface PricedOrder {
  currency: string;
  amount: number;
  lines: PricedLine[];
}

/** Bounds on an order's input (kept small: an order is a cart, not a bulk import). */
export const ORDER_LIMITS = Object.freeze({ minItems: 1, maxItems: 100, minQuantity: 1, maxQuantity: 999 });

function checkQuantity(quantity: number, field: string): void {
  const { minQuantity, maxQuantity } = ORDER_LIMITS;
  if (!Number.isInteger(quantity) || quantity < minQuantity || quantity > maxQuantity) {
    throw new BadUserInputError(
      `Quantity must be a whole number from ${minQuantity} to ${maxQuantity}, got ${String(quantity)}`,
      field,
    );
  }
}

/**
 * Prices `items` against the catalog (`findProduct`). Every failure is a
 * `BadUserInputError` naming the input path (`input.items[2].quantity`).
 *
 * The same SKU given twice is merged into one line, in first-seen order,
 * because "add to cart" twice is ordinary client behaviour and one line per
 * SKU keeps items and refunds unambiguous; the combined quantity must still
 * be within the per-line limit (reported on the later item).
 */
export function priceOrderLines(
  items: readonly OrderItemInput[],
  findProduct: (sku: string) => PricedProduct | undefined,
): PricedOrder {
  const { minItems, maxItems, maxQuantity } = ORDER_LIMITS;
  if (!Array.isArray(items) || items.length < minItems || items.length > maxItems) {
    throw new BadUserInputError(`An order needs ${minItems} to ${maxItems} items`, 'input.items');
  }
  const bySku = new Map<string, PricedLine>();
  let currency: string | undefined;
  items.forEach((item, index) => {
    const field = `input.items[${index}]`;
    checkQuantity(item.quantity, `${field}.quantity`);
    const product = findProduct(item.sku);
    if (!product) throw new BadUserInputError(`Unknown SKU '${item.sku}'`, `${field}.sku`);
    if (!product.active) throw new BadUserInputError(`SKU '${item.sku}' is not available`, `${field}.sku`);
    currency ??= product.currency;
    if (product.currency !== currency) {
      throw new BadUserInputError(
        `SKU '${item.sku}' is priced in ${product.currency} but the order is in ${currency}; an order has one currency`,
        `${field}.sku`,
      );
    }
    const line = bySku.get(product.sku);
    const quantity = (line?.quantity ?? 0) + item.quantity;
    if (quantity > maxQuantity) {
      throw new BadUserInputError(
        `SKU '${item.sku}' is ordered ${quantity} times in total; at most ${maxQuantity} allowed`,
        `${field}.quantity`,
      );
    }
    const lineAmount = multiplyMinor(product.unitAmount, quantity, `${field}.quantity`);
    if (line) Object.assign(line, { quantity, lineAmount });
    else bySku.set(product.sku, { sku: product.sku, name: product.name, unitAmount: product.unitAmount, quantity, lineAmount });
  });
  const lines = [...bySku.values()];
  const amount = sumMinor(lines.map((l) => l.lineAmount), 'input.items');
  return { currency: currency as string, amount, lines };
}
