import type { Request, Response } from 'express';
import type { PayPalState } from './paypal.state';

/** PayPal: "The server stores keys for 6 hours." */
const KEEP_MS = 6 * 3600 * 1000;

/**
 * `PayPal-Request-Id` handling. A repeated id replays the first successful
 * response byte for byte, whatever the new body says (PayPal's behaviour),
 * with the status PayPal uses for a replay. Failures are not stored, so a
 * retry after an error is processed anew.
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
    res.status(replayStatus).type('application/json').send(hit.body);
    return true;
  }

  /** Sends a fresh success and remembers it under the request id (if any). */
  respond(scope: string, req: Request, res: Response, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    const key = this.key(scope, req);
    if (key) this.state.idempotency.set(key, { status, body: text, expiresAt: Date.now() + KEEP_MS });
    res.status(status).type('application/json').send(text);
  }
}
