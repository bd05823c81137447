import { invalidRequest } from './stripe.errors';
import { formatAmount, isCurrency, MAX_AMOUNT, minimumAmount } from './stripe.money';
import type { Params } from './stripe.params';

/** A lowercase ISO currency from a param, or Stripe's "Invalid currency" error. */
export function currencyParam(p: Params, key = 'currency'): string {
  const c = p.reqStr(key).toLowerCase();
  if (!isCurrency(c)) p.invalid(key, `Invalid currency: ${c}. Stripe currently supports these currencies: usd, eur, gbp, jpy, … (any ISO 4217 code in the sandbox)`);
  return c;
}

/** Check a charge amount against Stripe's minimum and maximum for the currency. */
export function checkChargeAmount(amount: number, currency: string, param = 'amount'): void {
  if (amount < 1) throw invalidRequest('This value must be greater than or equal to 1.', param);
  const min = minimumAmount(currency);
  if (min !== undefined && amount < min) {
    throw invalidRequest(`Amount must be at least ${formatAmount(min, currency)} ${currency}`, param, 'amount_too_small');
  }
  if (amount > MAX_AMOUNT) {
    throw invalidRequest(`Amount must be no more than ${formatAmount(MAX_AMOUNT, currency)}`, param, 'amount_too_large');
  }
}

/** Stripe refuses more than one of a set of mutually exclusive params. */
export function onlyOneOf(p: Params, keys: string[]): void {
  if (keys.filter((k) => p.has(k)).length > 1) {
    throw invalidRequest(`You may only specify one of these parameters: ${keys.join(', ')}.`, keys[1]);
  }
}
