/**
 * Money in the browser, exactly as the server keeps it: integers in the currency's minor unit.
 * Conversions go through strings and BigInt, never floating point.
 */

const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** Minor-unit digits of an ISO-4217 currency: JPY 0, USD 2, KWD 3. */
export function currencyDigits(currency) {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** "1234" minor units of USD → "12.34" (exact decimal string). */
export function toMajorString(minor, currency) {
  const digits = currencyDigits(currency);
  const negative = minor < 0;
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

const formatters = new Map();

/** A localized amount with the currency's own number of digits: "$12.34", "¥1,500", "KWD 4.250". */
export function formatMoney(minor, currency) {
  let formatter = formatters.get(currency);
  if (!formatter) {
    const digits = currencyDigits(currency);
    formatter = new Intl.NumberFormat(undefined, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(currency, formatter);
  }
  // Intl formats decimal strings exactly (no conversion to a double).
  return formatter.format(toMajorString(minor, currency));
}

/**
 * Parses what a person typed in the currency's major unit ("12.5", "1,234.50") into minor
 * units. Returns `{ minor }` or `{ error }` with a sentence saying what is allowed.
 */
export function parseMajor(text, currency) {
  const digits = currencyDigits(currency);
  const cleaned = String(text).trim().replace(/[\s,_]/g, '');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return { error: `Enter an amount such as ${toMajorString(10 ** digits * 12 + (digits ? 5 * 10 ** (digits - 1) : 0), currency)}.` };
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    return { error: digits === 0 ? `${currency} has no decimal places.` : `${currency} has ${digits} decimal places at most.` };
  }
  const minor = BigInt(match[1]) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (minor <= 0n) return { error: 'The amount must be more than zero.' };
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { error: 'That amount is too large.' };
  return { minor: Number(minor) };
}
