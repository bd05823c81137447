import { BadUserInputError } from '../../domain/errors';
import { currencyExponent, fromDecimalString, toDecimalString } from '../../domain/money';

/** Currencies PayPal's REST APIs accept for payments (PayPal "Currency codes" reference). */
export const PAYPAL_CURRENCIES: ReadonlySet<string> = new Set([
  'AUD', 'BRL', 'CAD', 'CNY', 'CZK', 'DKK', 'EUR', 'HKD', 'HUF', 'ILS', 'JPY', 'MYR',
  'MXN', 'TWD', 'NZD', 'NOK', 'PHP', 'PLN', 'GBP', 'SGD', 'SEK', 'CHF', 'THB', 'USD',
]);

/** PayPal's quirk: HUF and TWD have two ISO decimals, but PayPal takes them (like JPY) without decimals. */
const PAYPAL_DIGITS: Readonly<Record<string, number>> = { HUF: 0, TWD: 0, JPY: 0 };

export function isPayPalCurrency(currency: string): boolean {
  return PAYPAL_CURRENCIES.has(currency);
}

/** BAD_USER_INPUT (on `field`) unless PayPal accepts payments in `currency`. */
export function assertPayPalCurrency(currency: string, field: string): void {
  if (!isPayPalCurrency(currency)) {
    throw new BadUserInputError(
      `PayPal does not accept payments in ${currency}; it supports ${[...PAYPAL_CURRENCIES].sort().join(', ')}`,
      field,
    );
  }
}

/**
 * Minor units → PayPal's decimal string: "1500" for 1500 JPY, "15.00" for 1500 USD, "15" for
 * 1500 HUF (ISO fillér, which PayPal does not take; an amount with fillér cannot be sent).
 */
export function toPayPalValue(minor: number, currency: string, field = 'amount'): string {
  const drop = currencyExponent(currency) - (PAYPAL_DIGITS[currency] ?? currencyExponent(currency));
  if (drop <= 0) return toDecimalString(minor, currency);
  const factor = 10 ** drop;
  if (minor % factor !== 0) {
    throw new BadUserInputError(`PayPal takes ${currency} only in whole units; ${toDecimalString(minor, currency)} ${currency} has a fraction`, field);
  }
  return String(minor / factor);
}

/** PayPal's decimal string → ISO minor units ("15" HUF → 1500, "15.00" USD → 1500). */
export function fromPayPalValue(value: string, currency: string): number {
  return fromDecimalString(value, currency);
}
