import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { callMatches } from './call-pattern';
import { apiProviderOf } from './provider-paths';
import type { SandboxProvider } from './sandbox.types';

/** What an injected fault does to a provider API call. */
export type FaultKind = 'latency' | 'status' | 'timeout';

/** One queued fault; it applies to the next `count` matching calls. */
export interface Fault {
  provider: SandboxProvider;
  kind: FaultKind;
  count: number;
  /** latency: the delay; timeout: how long the response is withheld before the socket is destroyed. */
  ms: number;
  /** For `status`: 429 or 5xx. */
  status: number;
  /** For `status`: seconds sent as `Retry-After`, when given. */
  retryAfter?: number;
  /** `"<METHOD> <path>"` or `"<path>"`, literal except `*` within a segment (see call-pattern.ts). */
  match?: string;
}

/** Per-provider queues of faults, consumed in insertion order. */
export class FaultQueue {
  private faults: Fault[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  add(fault: Fault): void {
    this.faults.push(fault);
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Take one use of the first fault matching this call, if any. */
  take(provider: SandboxProvider, method: string, path: string): Fault | undefined {
    const fault = this.faults.find((f) => f.provider === provider && (!f.match || callMatches(f.match, method, path)));
    if (!fault) return undefined;
    fault.count--;
    if (fault.count <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return { ...fault };
  }

  /** Timers started by faults are cancelled when the sandbox closes. */
  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/** The body a provider answers for an injected error status, in its own error shape. */
function faultBody(provider: SandboxProvider, status: number): unknown {
  if (provider === 'stripe') {
    return status === 429
      ? { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.' } }
      : { error: { type: 'api_error', message: 'An unknown error occurred (fault injected by the sandbox).' } };
  }
  const name = status === 429 ? 'RATE_LIMIT_REACHED' : status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR';
  const message = status === 429 ? 'Too many requests. Blocked due to rate limiting.' : 'An internal server error has occurred.';
  return { name, message, debug_id: randomBytes(7).toString('hex'), links: [{ href: `https://developer.paypal.com/api/rest/reference/orders/v2/errors/#${name}`, rel: 'information_link' }] };
}

function withholdResponse(res: Response, req: Request, faults: FaultQueue, ms: number): void {
  // The handler still runs and stores its effect; only the answer is lost,
  // exactly the case idempotency keys exist for.
  const swallow = function (this: Response): Response {
    faults.later(ms, () => req.socket.destroy());
    return res;
  };
  res.writeHead = (() => res) as unknown as Response['writeHead'];
  res.write = (() => true) as unknown as Response['write'];
  res.end = swallow as unknown as Response['end'];
}

/** Middleware applying queued faults to provider API calls only (never to pages or controls). */
export function faultMiddleware(faults: FaultQueue): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const provider = apiProviderOf(req.path);
    const fault = provider && faults.take(provider, req.method, req.path);
    if (!provider || !fault) return next();
    if (fault.kind === 'latency') return faults.later(fault.ms, next);
    if (fault.kind === 'timeout') {
      withholdResponse(res, req, faults, fault.ms);
      return next();
    }
    const id = `req_${randomBytes(7).toString('hex')}`;
    res.status(fault.status).set(provider === 'stripe' ? { 'request-id': id } : { 'paypal-debug-id': id });
    if (fault.retryAfter !== undefined) res.set('Retry-After', String(fault.retryAfter));
    res.json(faultBody(provider, fault.status));
  };
}
