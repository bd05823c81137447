import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 string (rejection sampling keeps it uniform). */
export function base62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += ALPHABET[b % 62];
    }
  }
  return out;
}

/** A Stripe-style object id, e.g. `pi_3Q…` (24 chars after the prefix, like Stripe's). */
export function stripeId(prefix: string): string {
  return `${prefix}_${prefix === 'cs_test' ? 'a1' + base62(56) : '3Sbx' + base62(20)}`;
}

/** Unix seconds, the unit of every Stripe timestamp. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
