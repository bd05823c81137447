import type { IncomingMessage } from 'node:http';
import { ipKeyGenerator, MemoryStore } from 'express-rate-limit';

const WINDOW_MS = 60_000;
const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * Who a client is for limits: its address, or behind a proxy on this machine the address the
 * proxy forwarded (the same rule as Express's `trust proxy: loopback`). IPv6 clients count per /56.
 */
export function clientKeyOf(request: IncomingMessage): string {
  const remote = request.socket.remoteAddress ?? 'unknown';
  const forwarded = String(request.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean).at(-1);
  return clientKey(LOOPBACK.test(remote) && forwarded ? forwarded : remote);
}

/** The key for an address Express already resolved (`req.ip`). */
export function clientKey(ip: string | undefined): string {
  return ipKeyGenerator(ip ?? 'unknown');
}

export type Charge = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * One per-minute budget per client, shared by the HTTP middleware (one hit per request), the
 * operation check (one more per extra root field) and graphql-ws (one per root field of each
 * message), so a client cannot escape its budget by batching fields or switching transports.
 */
export class ClientBudget {
  readonly store = new MemoryStore();

  constructor(readonly perMinute: number) {
    this.store.init({ windowMs: WINDOW_MS } as Parameters<MemoryStore['init']>[0]);
  }

  get enabled(): boolean {
    return this.perMinute > 0;
  }

  async charge(key: string, hits: number): Promise<Charge> {
    if (!this.enabled || hits <= 0) return { ok: true };
    let last = await this.store.increment(key);
    for (let i = 1; i < hits; i++) last = await this.store.increment(key);
    if (last.totalHits <= this.perMinute) return { ok: true };
    const resetIn = last.resetTime ? last.resetTime.getTime() - Date.now() : WINDOW_MS;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(resetIn / 1000)) };
  }

  message(retryAfterSeconds: number): string {
    return `Too many requests: at most ${this.perMinute} requests per minute from one client (each root field counts); retry in ${retryAfterSeconds} s`;
  }

  shutdown(): void {
    this.store.shutdown();
  }
}
