import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new order access token: 256 random bits, shown to the client once. */
export function generateAccessToken(): string {
  return `ot_${randomBytes(32).toString('base64url')}`;
}

/** What is stored instead of a token or key: its SHA-256, hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of two secrets (hashed first, so lengths never leak). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(Buffer.from(hashSecret(a), 'hex'), Buffer.from(hashSecret(b), 'hex'));
}

/** The secret of an `Authorization: Bearer <secret>` value; undefined for anything else. */
export function bearerSecret(authorization: unknown): string | undefined {
  return typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
}

/** True when the `Authorization` value carries the admin key. */
export function isAdminBearer(authorization: unknown, adminApiKey: string): boolean {
  const secret = bearerSecret(authorization);
  return secret !== undefined && secretsEqual(secret, adminApiKey);
}
