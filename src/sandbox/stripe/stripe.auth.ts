import type { NextFunction, Request, Response } from 'express';
import { StripeApiError, sendStripeError } from './stripe.errors';

const NO_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

/** Stripe masks all but the start and the last four characters of a rejected key. */
export function maskKey(key: string): string {
  if (key.length <= 12) return key.replace(/./g, (c, i: number) => (i < 3 ? c : '*'));
  return `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}`;
}

/** The API key from Bearer auth, or from Basic auth's user name (as `curl -u sk_test_…:` sends it). */
function apiKeyOf(req: Request): string | undefined {
  const header = req.get('Authorization');
  if (!header) return undefined;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (/^bearer$/i.test(scheme)) return value;
  if (/^basic$/i.test(scheme)) return Buffer.from(value, 'base64').toString('utf8').split(':')[0];
  return header;
}

/** Accept any `sk_test_…` key; the sandbox is test mode only, so live keys are refused too. */
export function stripeAuth(req: Request, res: Response, next: NextFunction): void {
  const key = apiKeyOf(req);
  if (!key) return sendStripeError(res, new StripeApiError(401, 'invalid_request_error', NO_KEY));
  if (!/^sk_test_[A-Za-z0-9_]+$/.test(key)) {
    return sendStripeError(res, new StripeApiError(401, 'invalid_request_error', `Invalid API Key provided: ${maskKey(key)}`));
  }
  next();
}
