import { BadUserInputError } from '../../src/domain/errors';
import { CATALOG_SEED, SKU_PATTERN } from '../../src/domain/catalog.seed';
import { isKnownCurrency } from '../../src/domain/money';
import { OrderItemInput, priceOrderLines } from '../../src/domain/order-lines';
import type { PricedProduct } from '../../src/model/priced-product';

const catalog = new Map<string, PricedProduct>(CATALOG_SEED.map((p) => [p.sku, p]));
const find = (sku: string): PricedProduct | undefined => catalog.get(sku);
const price = (items: OrderItemInput[]) => priceOrderLines(items, find);

/** Asserts that pricing `items` fails on `field` with a message containing `text`. */
function expectRefusal(items: OrderItemInput[], field: string, text?: string): void {
  let thrown: unknown;
  try {
    price(items);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(BadUserInputError);
  const error = thrown as BadUserInputError;
  expect(error.code).toBe('BAD_USER_INPUT');
  expect(error.field).toBe(field);
  expect(error.details).toEqual({ field });
  if (text) expect(error.message).toContain(text);
}

describe('CATALOG_SEED', () => {
  it('has valid, unique SKUs, known currencies and safe integer prices', () => {
    expect(CATALOG_SEED.length).toBeGreaterThanOrEqual(6);
    expect(new Set(CATALOG_SEED.map((p) => p.sku)).size).toBe(CATALOG_SEED.length);
    for (const p of CATALOG_SEED) {
      expect(p.sku).toMatch(SKU_PATTERN);
      expect(isKnownCurrency(p.currency)).toBe(true);
      expect(Number.isSafeInteger(p.unitAmount) && p.unitAmount > 0).toBe(true);
      expect(p.name.length).toBeGreaterThan(0);
      expect(p.description.length).toBeGreaterThan(0);
    }
  });

  it('covers USD, GBP, JPY, KWD and an inactive product', () => {
    const count = (currency: string) => CATALOG_SEED.filter((p) => p.active && p.currency === currency).length;
    expect(count('USD')).toBeGreaterThanOrEqual(3);
    expect(count('GBP')).toBeGreaterThanOrEqual(2);
    expect(count('JPY')).toBeGreaterThanOrEqual(2);
    expect(count('KWD')).toBeGreaterThanOrEqual(1);
    expect(catalog.get('RETIRED-CAP')?.active).toBe(false);
    expect(catalog.get('DATES-BOX')).toMatchObject({ unitAmount: 4250, currency: 'KWD' });
  });
});

describe('priceOrderLines', () => {
  it('prices a USD order', () => {
    expect(price([{ sku: 'TSHIRT-BLK', quantity: 2 }, { sku: 'MUG-WHT', quantity: 1 }, { sku: 'STICKER-PACK', quantity: 3 }])).toEqual({
      currency: 'USD',
      amount: 2 * 2500 + 1200 + 3 * 499,
      lines: [
        { sku: 'TSHIRT-BLK', name: 'Black T-shirt', unitAmount: 2500, quantity: 2, lineAmount: 5000 },
        { sku: 'MUG-WHT', name: 'White mug', unitAmount: 1200, quantity: 1, lineAmount: 1200 },
        { sku: 'STICKER-PACK', name: 'Sticker pack', unitAmount: 499, quantity: 3, lineAmount: 1497 },
      ],
    });
  });

  it.each([
    ['GBP', [{ sku: 'TEA-EARLGREY', quantity: 3 }, { sku: 'SCARF-WOOL', quantity: 1 }], 3 * 850 + 3499],
    ['JPY', [{ sku: 'MATCHA-30G', quantity: 2 }, { sku: 'FUROSHIKI', quantity: 1 }], 5800],
    ['KWD', [{ sku: 'DATES-BOX', quantity: 3 }], 12750],
    ['USD', [{ sku: 'STICKER-PACK', quantity: 999 }], 498501],
  ])('prices a %s order', (currency, items, amount) => {
    expect(price(items)).toMatchObject({ currency, amount });
  });

  it('merges the same SKU given twice into one line, in first-seen order', () => {
    const order = price([
      { sku: 'MUG-WHT', quantity: 1 },
      { sku: 'TSHIRT-BLK', quantity: 1 },
      { sku: 'MUG-WHT', quantity: 2 },
    ]);
    expect(order.lines.map((l) => [l.sku, l.quantity, l.lineAmount])).toEqual([
      ['MUG-WHT', 3, 3600],
      ['TSHIRT-BLK', 1, 2500],
    ]);
    expect(order.amount).toBe(6100);
  });

  it('refuses a merged quantity above 999 on the later item', () => {
    expectRefusal([{ sku: 'MUG-WHT', quantity: 500 }, { sku: 'MUG-WHT', quantity: 500 }], 'input.items[1].quantity', '1000');
  });

  it('refuses an empty order and more than 100 items', () => {
    expectRefusal([], 'input.items');
    const many = Array.from({ length: 101 }, () => ({ sku: 'STICKER-PACK', quantity: 1 }));
    expectRefusal(many, 'input.items');
    expect(price(many.slice(1)).lines).toEqual([expect.objectContaining({ quantity: 100 })]);
  });

  it.each([0, -1, 1000, 1.5, NaN, Infinity])('refuses quantity %p', (quantity) => {
    expectRefusal(
      [{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'MUG-WHT', quantity: 1 }, { sku: 'TSHIRT-BLK', quantity: 1 }, { sku: 'MUG-WHT', quantity }],
      'input.items[3].quantity',
    );
  });

  it('refuses an unknown SKU', () => {
    expectRefusal([{ sku: 'NOPE', quantity: 1 }], 'input.items[0].sku', "Unknown SKU 'NOPE'");
    expectRefusal([{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'mug-wht', quantity: 1 }], 'input.items[1].sku', "Unknown SKU 'mug-wht'");
  });

  it('refuses an inactive SKU', () => {
    expectRefusal([{ sku: 'RETIRED-CAP', quantity: 1 }], 'input.items[0].sku', "SKU 'RETIRED-CAP' is not available");
  });

  it('refuses mixed currencies on the first mismatching line, naming both', () => {
    let thrown: unknown;
    try {
      price([{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'TSHIRT-BLK', quantity: 1 }, { sku: 'MATCHA-30G', quantity: 1 }, { sku: 'DATES-BOX', quantity: 1 }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadUserInputError);
    expect((thrown as BadUserInputError).field).toBe('input.items[2].sku');
    expect((thrown as BadUserInputError).message).toMatch(/JPY.*USD/);
  });

  it('refuses totals beyond the safe-integer range', () => {
    const huge: PricedProduct = { sku: 'HUGE', name: 'Huge', unitAmount: Math.floor(Number.MAX_SAFE_INTEGER / 10), currency: 'USD', active: true };
    const lookup = (sku: string) => (sku === 'HUGE' ? huge : find(sku));
    expect(() => priceOrderLines([{ sku: 'HUGE', quantity: 11 }], lookup)).toThrow(BadUserInputError);
    expect(() => priceOrderLines([{ sku: 'HUGE', quantity: 9 }, { sku: 'MUG-WHT', quantity: 999 }], lookup)).not.toThrow();
    const big: PricedProduct = { ...huge, sku: 'BIG', unitAmount: Math.floor(Number.MAX_SAFE_INTEGER / 999) };
    const lookup2 = (sku: string) => (sku === 'BIG' ? big : find(sku));
    expect(() => priceOrderLines([{ sku: 'BIG', quantity: 999 }, { sku: 'MUG-WHT', quantity: 999 }], lookup2)).toThrow(
      expect.objectContaining({ field: 'input.items' }),
    );
  });
});
