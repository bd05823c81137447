import { createHash, hkdfSync } from 'node:crypto';
import { BadUserInputError } from '../errors';
import type { Principal } from '../services/principal';

/** Printable ASCII only (CONTRACT §2 "Idempotency keys"): 1–255 of these. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Without a principal the key alone finds the stored response, so it must be too long to guess. */
export const ANONYMOUS_KEY_MIN_LENGTH = 32;

/**
 * A client's `Idempotency-Key` bound to the principal that sent it. Only `hash` is ever stored; the
 * two derived keys exist in memory while a request runs, so the database alone can neither read a
 * stored response nor test a guessed request against a fingerprint.
 */
export interface ScopedIdempotencyKey {
  /** SHA-256 (hex) of the principal's scope and the key: the row's primary key. */
  readonly hash: string;
  /** AES-256-GCM key for the stored response (HKDF of the client's key and the caller's credential). */
  readonly responseKey: Buffer;
  /** HMAC key for the request fingerprint (HKDF of the client's key). */
  readonly fingerprintKey: Buffer;
}

/**
 * Validates the header value and binds it to the principal; a bad value is BAD_USER_INPUT naming the
 * header. `credential` is the caller's bearer secret (order token or admin key), which the database
 * holds only as a hash: mixed into the response key, it keeps even a short key of a signed-in caller
 * from being guessed offline to open a stored response (a 3-D Secure client secret, say).
 */
export function scopeIdempotencyKey(value: string, principal: Principal, credential = ''): ScopedIdempotencyKey {
  if (value.length < 1 || value.length > 255) {
    throw new BadUserInputError(`Idempotency-Key must be 1–255 characters long (got ${value.length})`, 'Idempotency-Key');
  }
  if (!PRINTABLE_ASCII.test(value)) throw new BadUserInputError('Idempotency-Key must hold printable ASCII characters only', 'Idempotency-Key');
  if (principal.kind === 'anonymous' && value.length < ANONYMOUS_KEY_MIN_LENGTH) {
    throw new BadUserInputError(
      `Idempotency-Key must be at least ${ANONYMOUS_KEY_MIN_LENGTH} characters without an Authorization header (got ${value.length}), so that nobody can guess it: use a random UUID`,
      'Idempotency-Key',
    );
  }
  const scope = scopeOf(principal);
  const derive = (secret: string, purpose: string) => Buffer.from(hkdfSync('sha256', secret, scope, `payments-api idempotency ${purpose} v1`, 32));
  return {
    hash: createHash('sha256').update(`${scope}\n${value}`, 'utf8').digest('hex'),
    responseKey: derive(`${value}\n${credential}`, 'response'),
    // Without the credential, so that a caller whose credential changed is told so, not "other variables".
    fingerprintKey: derive(value, 'fingerprint'),
  };
}

/** The same key from another principal is another key: one order's token never sees another's response. */
function scopeOf(principal: Principal): string {
  if (principal.kind === 'admin') return 'admin';
  if (principal.kind === 'order') return `order:${principal.orderId}`;
  return 'anonymous';
}
