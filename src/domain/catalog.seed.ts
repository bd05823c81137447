/**
 * Demo product catalog (pure data), loaded into the database at start-up.
 * Prices are minor units of each product's currency (CONTRACT §1); the mix of
 * 0-, 2- and 3-decimal currencies exercises every conversion path end to end.
 */

/** One seeded product. `sku` matches `SKU_PATTERN`; `unitAmount` is in minor units. */
export interface CatalogSeedProduct {
  readonly sku: string;
  readonly name: string;
  readonly description: string;
  readonly unitAmount: number;
  readonly currency: string;
  readonly active: boolean;
}

/** Shape of a SKU: upper-case letters, digits and dashes, 2–64 characters. */
export const SKU_PATTERN = /^[A-Z0-9][A-Z0-9-]{1,63}$/;

/** The demo catalog. */
export const CATALOG_SEED: readonly CatalogSeedProduct[] = Object.freeze([
  { sku: 'TSHIRT-BLK', name: 'Black T-shirt', description: 'Organic cotton, unisex fit.', unitAmount: 2500, currency: 'USD', active: true },
  { sku: 'MUG-WHT', name: 'White mug', description: 'Stoneware, 350 ml.', unitAmount: 1200, currency: 'USD', active: true },
  { sku: 'STICKER-PACK', name: 'Sticker pack', description: 'Ten vinyl stickers.', unitAmount: 499, currency: 'USD', active: true },
  { sku: 'TEA-EARLGREY', name: 'Earl Grey tea', description: 'Loose leaf, 100 g tin.', unitAmount: 850, currency: 'GBP', active: true },
  { sku: 'SCARF-WOOL', name: 'Wool scarf', description: 'Lambswool, woven in Scotland.', unitAmount: 3499, currency: 'GBP', active: true },
  // JPY has no minor unit: 1500 is ¥1,500.
  { sku: 'MATCHA-30G', name: 'Matcha 30 g', description: 'Ceremonial grade, Uji.', unitAmount: 1500, currency: 'JPY', active: true },
  { sku: 'FUROSHIKI', name: 'Furoshiki', description: 'Cotton wrapping cloth, 70 cm.', unitAmount: 2800, currency: 'JPY', active: true },
  // KWD has three decimals: 4250 fils is 4.250 KWD.
  { sku: 'DATES-BOX', name: 'Box of dates', description: 'Khalas dates, 500 g.', unitAmount: 4250, currency: 'KWD', active: true },
  { sku: 'RETIRED-CAP', name: 'Retired cap', description: 'No longer sold; kept to test inactive SKUs.', unitAmount: 1800, currency: 'USD', active: false },
].map((product) => Object.freeze(product)));
