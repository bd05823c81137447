/**
 * The one money module (CONTRACT §1). Amounts are integers in the currency's
 * minor unit; conversion to and from decimal strings is exact (string and
 * BigInt arithmetic, never floating point), so 0.1 + 0.2 problems cannot
 * reach a provider or the database.
 *
 * Provider quirks (e.g. Stripe's handling of ISK, HUF, TWD, UGX) belong in
 * the provider adapters; this module only knows ISO 4217.
 */
import { BadUserInputError } from './errors';

/** Number of minor-unit digits of an ISO-4217 currency. */
export type CurrencyExponent = 0 | 2 | 3;

/** ISO 4217 currencies whose minor unit is the major unit itself. */
const ZERO_DECIMAL = [
  'BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX',
  'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF',
] as const;

/** ISO 4217 currencies with a thousandth minor unit (fils, baisa, dirham, millime). */
const THREE_DECIMAL = ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'] as const;

/**
 * Every other active ISO 4217 code has two decimals. Deliberately absent:
 * withdrawn codes (HRK, ZWL), the four-decimal units of account CLF and UYW
 * (no provider settles in them, and they do not fit the 0|2|3 exponent), and
 * codes without a minor unit (XAU, XAG, XPD, XPT, XDR, XSU, XUA, XBA–XBD,
 * XTS and the "no currency" code). ANG, SLL and CUC are kept while they remain on ISO List One.
 */
const TWO_DECIMAL = [
  'AED', 'AFN', 'ALL', 'AMD', 'ANG', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN', 'BAM',
  'BBD', 'BDT', 'BGN', 'BMD', 'BND', 'BOB', 'BOV', 'BRL', 'BSD', 'BTN', 'BWP',
  'BYN', 'BZD', 'CAD', 'CDF', 'CHE', 'CHF', 'CHW', 'CNY', 'COP', 'COU', 'CRC',
  'CUC', 'CUP', 'CVE', 'CZK', 'DKK', 'DOP', 'DZD', 'EGP', 'ERN', 'ETB', 'EUR',
  'FJD', 'FKP', 'GBP', 'GEL', 'GHS', 'GIP', 'GMD', 'GTQ', 'GYD', 'HKD', 'HNL',
  'HTG', 'HUF', 'IDR', 'ILS', 'INR', 'IRR', 'JMD', 'KES', 'KGS', 'KHR', 'KPW',
  'KYD', 'KZT', 'LAK', 'LBP', 'LKR', 'LRD', 'LSL', 'MAD', 'MDL', 'MGA', 'MKD',
  'MMK', 'MNT', 'MOP', 'MRU', 'MUR', 'MVR', 'MWK', 'MXN', 'MXV', 'MYR', 'MZN',
  'NAD', 'NGN', 'NIO', 'NOK', 'NPR', 'NZD', 'PAB', 'PEN', 'PGK', 'PHP', 'PKR',
  'PLN', 'QAR', 'RON', 'RSD', 'RUB', 'SAR', 'SBD', 'SCR', 'SDG', 'SEK', 'SGD',
  'SHP', 'SLE', 'SLL', 'SOS', 'SRD', 'SSP', 'STN', 'SVC', 'SYP', 'SZL', 'THB',
  'TJS', 'TMT', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS', 'UAH', 'USD', 'USN', 'UYU',
  'UZS', 'VED', 'VES', 'WST', 'XCD', 'XCG', 'YER', 'ZAR', 'ZMW', 'ZWG',
] as const;

const EXPONENTS: ReadonlyMap<string, CurrencyExponent> = new Map<string, CurrencyExponent>([
  ...ZERO_DECIMAL.map((c) => [c, 0] as const),
  ...TWO_DECIMAL.map((c) => [c, 2] as const),
  ...THREE_DECIMAL.map((c) => [c, 3] as const),
]);

/** Sorted list of every currency code this module accepts. */
export const KNOWN_CURRENCIES: readonly string[] = Object.freeze([...EXPONENTS.keys()].sort());

/** Keeps error messages readable when the input is garbage of any length. */
function quote(value: unknown): string {
  const text = String(value);
  return `'${text.length > 16 ? `${text.slice(0, 16)}…` : text}'`;
}

/** True for an active ISO-4217 code in upper case (`'USD'`, not `'usd'`). */
export function isKnownCurrency(code: string): boolean {
  return typeof code === 'string' && EXPONENTS.has(code);
}

/** Throws `BadUserInputError` (on `field`) unless `code` is a known currency. */
export function assertCurrency(code: string, field?: string): void {
  if (!isKnownCurrency(code)) {
    throw new BadUserInputError(
      `Unknown currency code ${quote(code)}: expected an active ISO-4217 code in upper case, e.g. 'USD'`,
      field,
    );
  }
}

/** Minor-unit digits of `code`: 0 for JPY, 2 for USD, 3 for KWD. */
export function currencyExponent(code: string, field?: string): CurrencyExponent {
  assertCurrency(code, field);
  return EXPONENTS.get(code) as CurrencyExponent;
}

function assertMinor(value: number, field?: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new BadUserInputError(
      `Amount ${quote(value)} must be a safe integer in the currency's minor unit`,
      field,
    );
  }
}

/** Exact decimal form of a minor-unit amount: 1500 JPY → "1500", 1500 USD → "15.00", 1500 KWD → "1.500". */
export function toDecimalString(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  assertMinor(minor);
  const digits = BigInt(Math.abs(minor)).toString();
  const sign = minor < 0 ? '-' : '';
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/** A leading '-' only, no leading zeros, no exponent, no separators, no '.5' or '5.'. */
const DECIMAL = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * Strict parse of a decimal string into minor units ("15.00" USD → 1500).
 * Fewer fraction digits than the exponent are accepted ("15.5" USD → 1550:
 * the value is unambiguous); more are refused, as is anything not a plain
 * decimal number. The result must be a safe integer.
 */
export function fromDecimalString(value: string, currency: string, field?: string): number {
  const exponent = currencyExponent(currency, field);
  const match = typeof value === 'string' ? DECIMAL.exec(value) : null;
  if (!match) {
    throw new BadUserInputError(`${quote(value)} is not a decimal amount like '15.00'`, field);
  }
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > exponent) {
    throw new BadUserInputError(
      `${quote(value)} has ${fraction.length} decimals but ${currency} allows at most ${exponent}`,
      field,
    );
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, '0')) * (sign ? -1n : 1n);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER) || minor < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new BadUserInputError(`${quote(value)} is too large an amount`, field);
  }
  // `+ 0` turns "-0" into 0 so callers never see negative zero.
  return Number(minor) + 0;
}

/**
 * Human-readable amount ("$15.00", "¥1,500", "KWD 1.500"). The digits are
 * forced to the ISO exponent because CLDR's display digits differ for some
 * currencies (it shows IQD and HUF without decimals), and the exact decimal
 * string is formatted so large amounts never pass through a float.
 */
export function formatMoney(minor: number, currency: string, locale = 'en-US'): string {
  const exponent = currencyExponent(currency);
  const decimal = toDecimalString(minor, currency) as Intl.StringNumericLiteral;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  }).format(decimal);
}

/** `a + b` for minor-unit amounts; refuses inputs or a result beyond `Number.MAX_SAFE_INTEGER`. */
export function addMinor(a: number, b: number, field?: string): number {
  assertMinor(a, field);
  assertMinor(b, field);
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) {
    throw new BadUserInputError('Amount total is too large to represent exactly', field);
  }
  return sum;
}

/** Sum of minor-unit amounts (0 for an empty list), with the same guards as `addMinor`. */
export function sumMinor(values: readonly number[], field?: string): number {
  return values.reduce((total, value) => addMinor(total, value, field), 0);
}

/** `unit × quantity` for a minor-unit price, refusing an inexact (unsafe) product. */
export function multiplyMinor(unit: number, quantity: number, field?: string): number {
  assertMinor(unit, field);
  assertMinor(quantity, field);
  const product = unit * quantity;
  if (!Number.isSafeInteger(product)) {
    throw new BadUserInputError('Amount is too large to represent exactly', field);
  }
  return product;
}
