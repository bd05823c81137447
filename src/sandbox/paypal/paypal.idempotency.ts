import type { Request, Response } from 'express';
import { PayPalApiError } from './paypal.errors';
import type { PayPalState } from './paypal.state';

/** PayPal: "The server stores keys for 6 hours." */
const KEEP_MS = 6 * 3600 * 1000;

/**
 * Refusals a reused PayPal-Request-Id replays: the request was processed and refused (validation,
 * unknown resource, business rule). Failures whose outcome is unknown to the caller (5xx, 429) or
 * that never reached processing (401/403) are not stored, so a retry with the same id is processed.
 */
const STORED_FAILURES: ReadonlySet<number> = new Set([400, 404, 422]);

/**
 * `PayPal-Request-Id` handling. PayPal: "when you include a previously specified PayPal-Request-Id
 * header in a request, PayPal returns the latest status of the previous request that used that same
 * header". A repeated id replays the first answer byte for byte, whatever the new body says: a
 * success with the status PayPal uses for a replay, a stored refusal with its own status. So a
 * caller that reuses the id of a refused capture is refused again, even once the buyer approved.
 */
export class RequestIdStore {
  constructor(private readonly state: PayPalState) {}

  private key(scope: string, req: Request): string | undefined {
    const id = req.header('PayPal-Request-Id');
    return id ? `${scope}\u0000${id}` : undefined;
  }

  /** Sends the stored response and returns true when this is a replay. */
  replay(scope: string, req: Request, res: Response, replayStatus: number): boolean {
    const key = this.key(scope, req);
    const hit = key ? this.state.idempotency.get(key) : undefined;
    if (!hit || hit.expiresAt <= Date.now()) return false;
    res.status(hit.status >= 400 ? hit.status : replayStatus).type('application/json').send(hit.body);
    return true;
  }

  /** Sends a fresh success and remembers it under the request id (if any). */
  respond(scope: string, req: Request, res: Response, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    const key = this.key(scope, req);
    if (key) this.state.idempotency.set(key, { status, body: text, expiresAt: Date.now() + KEEP_MS });
    res.status(status).type('application/json').send(text);
  }

  /** Runs a handler; a refusal it throws is remembered under the request id (if any), then answered as usual. */
  remembering(scope: string, req: Request, res: Response, work: () => void): void {
    try {
      work();
    } catch (error) {
      const key = this.key(scope, req);
      if (!key || !(error instanceof PayPalApiError) || !STORED_FAILURES.has(error.status)) throw error;
      const text = JSON.stringify(error.body());
      this.state.idempotency.set(key, { status: error.status, body: text, expiresAt: Date.now() + KEEP_MS });
      res.status(error.status).type('application/json').send(text);
    }
  }
}
