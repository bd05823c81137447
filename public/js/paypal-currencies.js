/**
 * Currencies PayPal takes payments in: the same list as the server's PAYPAL_CURRENCIES
 * (src/providers/paypal/paypal.money.ts; a unit test keeps the two equal). The server refuses the
 * others anyway; the page says so before anyone clicks.
 */
export const PAYPAL_CURRENCIES = new Set([
  'AUD', 'BRL', 'CAD', 'CHF', 'CNY', 'CZK', 'DKK', 'EUR', 'GBP', 'HKD', 'HUF', 'ILS',
  'JPY', 'MXN', 'MYR', 'NOK', 'NZD', 'PHP', 'PLN', 'SEK', 'SGD', 'THB', 'TWD', 'USD',
]);

/** Why PayPal cannot take an order in `currency`, or null when it can (or the currency is not known yet). */
export function payPalRefusal(currency) {
  if (!currency || PAYPAL_CURRENCIES.has(currency)) return null;
  return `PayPal does not take payments in ${currency}. Pay by card instead.`;
}
