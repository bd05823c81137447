/**
 * Helpers for the Idempotency-Key tests: a GraphQL POST that keeps the raw answer (replays are
 * compared byte for byte), and a TCP proxy that loses the answer after the server wrote it.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { TestService } from '../helpers/service.helpers';
import { control } from '../helpers/sandbox.helpers';

export interface RawAnswer {
  status: number;
  headers: Headers;
  /** The body exactly as received. */
  text: string;
  json: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, any> }[] };
}

/** POSTs one GraphQL request (or a batch, when `body` is an array) with an optional Idempotency-Key. */
export async function post(url: string, body: unknown, { key, token }: { key?: string; token?: string } = {}, signal?: AbortSignal): Promise<RawAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    signal,
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { 'idempotency-key': key }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as RawAnswer['json'] };
}

/**
 * A proxy in front of the service that forwards requests and destroys both sockets as soon as the
 * first byte of the answer comes back: the server has finished (committed, stored, answered), and
 * the client never hears of it — a mobile network failing at the worst moment.
 */
export async function startAnswerCuttingProxy(target: number): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.once('data', () => {
      upstream.destroy();
      client.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Holds the next Stripe call matching `match` for `ms` at the sandbox (its latency fault). */
export async function holdStripeCall(ts: TestService, match: string, ms: number): Promise<void> {
  const res = await control(ts.service.sandbox!, 'POST', '/faults', { provider: 'stripe', kind: 'latency', ms, match, count: 1 });
  if (res.status !== 201) throw new Error(`fault not accepted: ${JSON.stringify(res.body)}`);
}

/** Rows of the idempotency table, straight from the service's database. */
export function keyRows(ts: TestService): Promise<Record<string, any>[]> {
  return ts.service.orm.em.getConnection().execute('select * from idempotency_keys');
}
