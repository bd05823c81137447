/**
 * Generic helpers for tests that drive the provider sandbox over real HTTP:
 * start it on a free port, receive its webhooks, post hosted-page forms,
 * call its `/__sandbox/` controls. Every server started here has a `close()`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox } from '../../src/sandbox/core/sandbox.server';
import type { RunningSandbox, SandboxOptions } from '../../src/sandbox/core/sandbox.types';

/** Credentials the test sandbox is started with. */
export const TEST_CREDENTIALS = {
  stripeSecretKey: 'sk_test_sandbox_tests',
  stripeWebhookSecret: 'whsec_test_sandbox_helpers',
  paypalClientId: 'test-client-id',
  paypalClientSecret: 'test-client-secret',
  paypalWebhookId: 'WH-TEST-0001',
} as const;

/** Options overriding the test defaults (fast retries, short timeouts). */
export type TestSandboxOverrides = Partial<Omit<SandboxOptions, 'stripe' | 'paypal'>> & {
  stripe?: Partial<SandboxOptions['stripe']>;
  paypal?: Partial<SandboxOptions['paypal']>;
};

/** Start a sandbox on a free port with millisecond retry delays. */
export function startTestSandbox(overrides: TestSandboxOverrides = {}): Promise<RunningSandbox> {
  const { stripe, paypal, ...rest } = overrides;
  return startSandbox({
    port: 0,
    webhookRetryDelaysMs: [20, 40, 80],
    webhookTimeoutMs: 2000,
    ...rest,
    stripe: { webhookSecret: TEST_CREDENTIALS.stripeWebhookSecret, ...stripe },
    paypal: {
      webhookId: TEST_CREDENTIALS.paypalWebhookId,
      clientId: TEST_CREDENTIALS.paypalClientId,
      clientSecret: TEST_CREDENTIALS.paypalClientSecret,
      ...paypal,
    },
  });
}

/** One webhook request as the receiver saw it. */
export interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Raw body, exactly as sent (signatures are computed over it). */
  body: string;
  json: Record<string, any>;
}

/** A tiny HTTP server on a free port that records webhooks; `respond` decides each status code. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Choose the status for the n-th request (0-based); default 200. */
  respond: (n: number, hook: ReceivedWebhook) => number | Promise<number>;
  /** Poll until `predicate` holds over what was received (default 5 s). */
  waitFor(predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** Start a webhook receiver. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    respond: () => 200,
    waitFor: (predicate, timeoutMs = 5000) => waitFor(() => (predicate(receiver.received) ? receiver.received : undefined), timeoutMs),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, any> = {};
      try {
        json = JSON.parse(body) as Record<string, any>;
      } catch {
        json = {};
      }
      const hook: ReceivedWebhook = { path: req.url ?? '/', headers: req.headers, body, json };
      const n = receiver.received.length;
      receiver.received.push(hook);
      void Promise.resolve(receiver.respond(n, hook)).then((status) => res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** Poll `probe` every 10 ms until it returns a value, or fail after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** POST a urlencoded form like a browser, without following redirects. */
export function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
}

/** Call a `/__sandbox/` control with a JSON body; returns status and parsed body. */
export async function control<T = any>(sandbox: { url: string }, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  // Controls that change state accept only JSON bodies, so those always send one.
  const json = body !== undefined || !['GET', 'HEAD'].includes(method.toUpperCase());
  const res = await fetch(`${sandbox.url}/__sandbox${path}`, {
    method,
    headers: json ? { 'content-type': 'application/json' } : {},
    body: json ? JSON.stringify(body ?? {}) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}
