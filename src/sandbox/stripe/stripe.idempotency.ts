import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { StripeApiError, sendStripeError } from './stripe.errors';

interface Entry {
  endpoint: string;
  params: string;
  response?: { status: number; body: unknown; requestId: string };
}

const keyAdvice = (key: string) => `Try using a key other than '${key}' if you meant to execute a different request.`;

/** Order-independent form of a form body, so the same params in another order still match. */
const canonical = (body: string) => body.split('&').filter(Boolean).sort().join('&');

/** Stripe answers stored only when the endpoint really ran (not for validation or lookup errors). */
const storable = (status: number) => status < 400 || status === 402 || status >= 500;

/**
 * `Idempotency-Key` on POSTs: the first result is stored and replayed with
 * `Idempotent-Replayed: true`; reuse with other params or another endpoint
 * is an `idempotency_error`; a concurrent reuse is a 409.
 */
export function idempotency(): RequestHandler {
  const entries = new Map<string, Entry>();
  return (req: Request, res: Response, next: NextFunction) => {
    const key = req.get('Idempotency-Key');
    if (req.method !== 'POST' || key === undefined) return next();
    const endpoint = `${req.method} ${req.path}`;
    const params = canonical(typeof req.body === 'string' ? req.body : '');
    const fail = (status: number, message: string, code?: string) =>
      sendStripeError(res, new StripeApiError(status, 'idempotency_error', message, code ? { code } : {}));
    if (key.length > 255) return fail(400, `Idempotency-Key must be at most 255 characters long (got ${key.length}).`);
    const seen = entries.get(key);
    if (seen) {
      if (seen.endpoint !== endpoint) {
        return fail(400, `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${seen.endpoint}' vs '${endpoint}'). ${keyAdvice(key)}`);
      }
      if (seen.params !== params) {
        return fail(400, `Keys for idempotent requests can only be used with the same parameters they were first used with. ${keyAdvice(key)}`);
      }
      if (!seen.response) {
        return fail(409, `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`, 'idempotency_key_in_use');
      }
      res.set({ 'Idempotent-Replayed': 'true', 'Original-Request': seen.response.requestId });
      return res.status(seen.response.status).json(seen.response.body);
    }
    const entry: Entry = { endpoint, params };
    entries.set(key, entry);
    res.set('Idempotency-Key', key);
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (storable(res.statusCode)) entry.response = { status: res.statusCode, body, requestId: String(res.locals.requestId) };
      else entries.delete(key);
      return json(body);
    };
    res.on('close', () => {
      if (!entry.response && entries.get(key) === entry) entries.delete(key);
    });
    next();
  };
}
