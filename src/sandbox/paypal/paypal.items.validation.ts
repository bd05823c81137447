import { readMoney, type Problems } from './paypal.amount.validation';
import { isObject, missing, readEnum, readString } from './paypal.field.validation';

type Json = Record<string, unknown>;

const ITEM_CATEGORIES = ['DIGITAL_GOODS', 'PHYSICAL_GOODS', 'DONATION'];

/** Sums of the item lines, compared with `breakdown.item_total` / `tax_total`. */
export interface ItemSums {
  items: bigint;
  tax: bigint;
  hasItems: boolean;
  hasTax: boolean;
}

/** Validates `items[]`; returns their sums for the breakdown checks. */
export function readItems(raw: unknown, currency: string | undefined, base: string, biz: string, problems: Problems): { items?: Json[]; sums?: ItemSums } {
  if (raw === undefined) return { items: undefined, sums: undefined };
  if (!Array.isArray(raw)) {
    problems.schema.push({ field: `${base}/items`, location: 'body', issue: 'INVALID_PARAMETER_SYNTAX', description: 'The value of a field does not conform to the expected format (an array).' });
    return { items: undefined, sums: undefined };
  }
  let itemSum = 0n;
  let taxSum = 0n;
  let hasTax = false;
  const items = raw.map((item: unknown, i) => {
    const pointer = `${base}/items/${i}`;
    if (!isObject(item)) { problems.schema.push(missing(pointer)); return {}; }
    const out: Json = {};
    const name = readString(item, 'name', pointer, 1, 127, problems);
    if (name === undefined && item.name === undefined) problems.schema.push(missing(`${pointer}/name`));
    out.name = name;
    const qty = item.quantity;
    if (qty === undefined) problems.schema.push(missing(`${pointer}/quantity`));
    else if (typeof qty !== 'string' || !/^[1-9][0-9]{0,9}$/.test(qty)) {
      problems.schema.push({ field: `${pointer}/quantity`, value: String(qty), location: 'body', issue: 'INVALID_PARAMETER_SYNTAX', description: 'The item quantity must be a whole number written as a string (pattern ^[1-9][0-9]{0,9}$).' });
    }
    const quantity = typeof qty === 'string' && /^[1-9][0-9]{0,9}$/.test(qty) ? BigInt(qty) : 0n;
    const unit = item.unit_amount === undefined ? (problems.schema.push(missing(`${pointer}/unit_amount`)), undefined)
      : readMoney(item.unit_amount, `${pointer}/unit_amount`, `${biz}/items/${i}/unit_amount`, currency, problems);
    if (unit) { out.unit_amount = unit.canonical; itemSum += unit.minor * quantity; }
    if (item.tax !== undefined) {
      const tax = readMoney(item.tax, `${pointer}/tax`, `${biz}/items/${i}/tax`, currency, problems);
      if (tax) { out.tax = tax.canonical; taxSum += tax.minor * quantity; hasTax = true; }
    }
    out.quantity = qty;
    for (const key of ['description', 'sku'] as const) {
      const v = readString(item, key, pointer, key === 'sku' ? 1 : 0, 127, problems);
      if (v !== undefined) out[key] = v;
    }
    readEnum(item, 'category', pointer, ITEM_CATEGORIES, problems);
    if (typeof item.category === 'string') out.category = item.category;
    return out;
  });
  return { items, sums: { items: itemSum, tax: taxSum, hasItems: items.length > 0, hasTax } };
}

