/**
 * PayPal money rules: amounts travel as decimal strings whose number of
 * fraction digits depends on the currency. Internally the sandbox keeps
 * minor units as `bigint`, because PayPal's maximum (999999999999999.99)
 * does not fit a JS number exactly.
 */

/** The currencies PayPal's REST APIs accept for payments (PayPal "Currency codes" reference). */
export const PAYPAL_CURRENCIES: ReadonlySet<string> = new Set([
  'AUD', 'BRL', 'CAD', 'CNY', 'CZK', 'DKK', 'EUR', 'HKD', 'HUF', 'ILS', 'JPY', 'MYR',
  'MXN', 'TWD', 'NZD', 'NOK', 'PHP', 'PLN', 'GBP', 'SGD', 'SEK', 'CHF', 'THB', 'USD',
]);

/** PayPal documents HUF, JPY and TWD as "does not support decimals". */
const ZERO_DECIMAL: ReadonlySet<string> = new Set(['HUF', 'JPY', 'TWD']);

/** PayPal's documented upper bound for any amount, in the two-decimal representation. */
const MAX_VALUE_TEXT = '999999999999999.99';

/** Number of fraction digits PayPal allows for a (supported) currency. */
export function currencyDigits(currency: string): number {
  return ZERO_DECIMAL.has(currency) ? 0 : 2;
}

/** Syntax check against the spec's `money.value` pattern. */
export function isMoneySyntax(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 32 && /^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$/.test(value);
}

/** Why a syntactically valid value is refused for its currency, or undefined if accepted. */
export type MoneyProblem = 'DECIMAL_PRECISION' | 'MAX_VALUE_EXCEEDED';

/**
 * Checks a value's precision and magnitude. PayPal refuses more fraction
 * digits than the currency has (`"15.00"` JPY, `"1.005"` USD) and accepts
 * fewer (`"15"` USD), which is what this mirrors.
 */
export function moneyProblem(value: string, currency: string): MoneyProblem | undefined {
  const fraction = value.includes('.') ? value.split('.')[1] : '';
  const digits = currencyDigits(currency);
  if (digits === 0 ? value.includes('.') : fraction.length > digits) return 'DECIMAL_PRECISION';
  if (toMinor(value, digits) > toMinor(MAX_VALUE_TEXT, 2) * 10n ** BigInt(digits) / 100n) return 'MAX_VALUE_EXCEEDED';
  return undefined;
}

/** Decimal string → minor units. Assumes `isMoneySyntax` and precision were checked. */
export function toMinor(value: string, digits: number): bigint {
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = value.replace(/^-/, '').split('.');
  const padded = (fraction + '0'.repeat(digits)).slice(0, digits);
  const minor = BigInt(whole || '0') * 10n ** BigInt(digits) + BigInt(padded || '0');
  return negative ? -minor : minor;
}

/** Minor units → PayPal's canonical decimal string (`"10.50"`, `"1500"`). */
export function fromMinor(minor: bigint, currency: string): string {
  const digits = currencyDigits(currency);
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const scale = 10n ** BigInt(digits);
  const whole = (abs / scale).toString();
  const text = digits === 0 ? whole : `${whole}.${(abs % scale).toString().padStart(digits, '0')}`;
  return negative ? `-${text}` : text;
}

/** A PayPal `money` object. */
export interface Money {
  currency_code: string;
  value: string;
}

/** Builds a `money` object from minor units. */
export function money(minor: bigint, currency: string): Money {
  return { currency_code: currency, value: fromMinor(minor, currency) };
}

const FIXED_FEE_MINOR = 49n;

/**
 * The sandbox's fee model (PayPal's standard domestic rate shape: a
 * percentage plus a fixed fee), so that `paypal_fee`/`net_amount` are
 * plausible and consistent: 3.49 % + 0.49 (49 minor units whatever the currency).
 */
export function paypalFee(grossMinor: bigint): bigint {
  const fee = (grossMinor * 349n + 5000n) / 10000n + FIXED_FEE_MINOR;
  return fee > grossMinor ? grossMinor : fee;
}
