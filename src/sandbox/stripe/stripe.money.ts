const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);
/** Stripe's minimum charge amounts (minor units) for common currencies; others are not checked. */
const MINIMUMS: Record<string, number> = { usd: 50, eur: 50, gbp: 30, cad: 50, aud: 50, chf: 50, jpy: 50, sek: 300, nok: 300, dkk: 250 };

/** Number of decimals Stripe uses for a currency's minor unit. */
export function exponentOf(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  return THREE_DECIMAL.has(currency) ? 3 : 2;
}

/** Human amount like Stripe's messages and pages: `$20.00`, `¥2,000`, `KWD 1.500`. */
export function formatAmount(amount: number, currency: string): string {
  const digits = exponentOf(currency);
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount / 10 ** digits);
  } catch {
    return `${(amount / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
  }
}

/** Minimum chargeable amount, when the sandbox knows it. */
export function minimumAmount(currency: string): number | undefined {
  return MINIMUMS[currency];
}

/** Stripe's upper bound for a single amount (eight digits). */
export const MAX_AMOUNT = 99_999_999;

/** ISO-4217-looking code; Stripe lowercases currencies in objects. */
export function isCurrency(c: string): boolean {
  return /^[a-z]{3}$/.test(c);
}
