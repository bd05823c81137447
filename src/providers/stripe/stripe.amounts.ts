/**
 * Stripe's wire form of money. Stripe takes amounts in the currency's smallest unit, which is our
 * minor unit as-is (JPY 1500 → 1500, USD 15.00 → 1500, KWD 4.250 → 4250): no scaling ever happens
 * here. Only the currency's case differs: lowercase on the wire, ISO upper case in our domain.
 */
export function toStripeCurrency(currency: string): string {
  return currency.toLowerCase();
}

export function fromStripeCurrency(currency: string): string {
  return currency.toUpperCase();
}
