import { randomBytes, randomUUID } from 'node:crypto';

const ALPHANUM = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';
/** PayPal account ids avoid look-alike characters (spec `account_id`: `^[2-9A-HJ-NP-Z]{13}$`). */
const ACCOUNT_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

function randomUpper(length: number, alphabet = ALPHANUM): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** PayPal order/capture/refund ids are 17 upper-case alphanumerics (`5O190127TN364715T`). */
export function resourceId(): string {
  return randomUpper(17);
}

/** Payer ids are 13 upper-case alphanumerics (`QYR5Z8XDVJNXQ`). */
export function payerId(): string {
  return randomUpper(13, ACCOUNT_ALPHABET);
}

/** Webhook event ids look like `WH-2B342482FC0449155-12X09416XP387753C`. */
export function webhookEventId(): string {
  return `WH-${randomUpper(17)}-${randomUpper(17)}`;
}

/** PayPal's `debug_id` is a short lower-case hex correlation id. */
export function debugId(): string {
  return randomBytes(7).toString('hex').slice(0, 13);
}

/** Dispute ids look like `PP-D-12345`. */
export function disputeId(): string {
  return `PP-D-${10000 + (randomBytes(3).readUIntBE(0, 3) % 90000)}`;
}

/** Opaque access token in PayPal's visual style (`A21AA…`). */
export function accessToken(): string {
  return `A21AA${randomBytes(60).toString('base64url')}`;
}

/** `PAYPAL-TRANSMISSION-ID` values are UUIDs. */
export function transmissionId(): string {
  return randomUUID();
}

/** RFC 3339 time without milliseconds, as PayPal renders `create_time`. */
export function paypalTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
