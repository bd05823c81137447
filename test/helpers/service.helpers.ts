import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config/config';
import { startService, type RunningService, type StartOptions } from '../../src/app/start-service';
import type { SandboxOptions } from '../../src/sandbox/core/sandbox.types';

/** One result delivered to a subscription sink (errors already formatted by the server). */
export type SubscriptionResult<T> = FormattedExecutionResult<T, unknown>;

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** A real service on a free port with its own temporary SQLite file (and the sandbox, when providers have no keys). */
export interface TestService {
  url: string;
  graphqlUrl: string;
  wsUrl: string;
  adminKey: string;
  databasePath: string;
  service: RunningService;
  close(): Promise<void>;
}

export interface TestServiceOptions extends Pick<StartOptions, 'logger' | 'inbox' | 'outboundResolve'> {
  /**
   * An existing SQLite file to share (another test service's `databasePath`; WAL lets both
   * instances use it), left in place on close: its owner deletes it.
   */
  databasePath?: string;
}

/** Starts the service exactly as main.ts does, but on port 0, with fast webhook retries (the sandbox's and the inbox worker's). */
export async function startTestService(
  env: Record<string, string> = {},
  sandbox: Partial<SandboxOptions> = {},
  { databasePath: sharedDatabasePath, inbox, ...options }: TestServiceOptions = {},
): Promise<TestService> {
  const dir = sharedDatabasePath ? undefined : mkdtempSync(path.join(tmpdir(), 'payments-test-'));
  const databasePath = sharedDatabasePath ?? path.join(dir!, 'test.sqlite');
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    SANDBOX_PORT: '0',
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    DATABASE_URL: `sqlite:${databasePath}`,
    // The provider status sync would change what other tests assert on; its own tests turn it on.
    RECONCILE_INTERVAL_SECONDS: '0',
    ...env,
  });
  const service = await startService(config, {
    ...options,
    sandbox: { webhookRetryDelaysMs: [50, 100, 200, 400], webhookTimeoutMs: 2000, ...sandbox },
    inbox: { retryBaseMs: 20, retryMaxMs: 200, pollMs: 100, ...inbox },
  });
  return {
    url: service.url,
    graphqlUrl: `${service.url}/graphql`,
    wsUrl: `${service.url.replace(/^http/, 'ws')}/graphql`,
    adminKey: config.adminApiKey,
    databasePath,
    service,
    close: async () => {
      await service.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

/** POSTs one GraphQL operation over real HTTP; `token` becomes `Authorization: Bearer …`. */
export async function gql<T = Record<string, any>>(
  graphqlUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
  headers: Record<string, string> = {},
): Promise<GqlResponse<T>> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: GqlResponse['errors'] };
  return { status: res.status, data: body.data, errors: body.errors };
}

/** The first error's `extensions.code`, for terse assertions. */
export function errorCode(response: GqlResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

/** A `graphql-ws` client connected with `{ authorization: 'Bearer <token>' }`. */
export function wsClient(wsUrl: string, token?: string): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Collects a subscription's results; `waitFor` resolves once a matching result has arrived. */
export function collect<T = Record<string, any>>(client: Client, query: string, variables: Record<string, unknown>) {
  const results: SubscriptionResult<T>[] = [];
  const waiters: { match: (r: SubscriptionResult<T>) => boolean; resolve: (r: SubscriptionResult<T>) => void }[] = [];
  let done = false;
  let failure: unknown;
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        results.push(result);
        for (const w of [...waiters]) if (w.match(result)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(result); }
      },
      error: (error) => { failure = error; done = true; },
      complete: () => { done = true; },
    },
  );
  return {
    results,
    get done() { return done; },
    get failure() { return failure; },
    waitFor(match: (r: SubscriptionResult<T>) => boolean, timeoutMs = 5000): Promise<SubscriptionResult<T>> {
      const found = results.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching subscription result within ${timeoutMs} ms; got ${JSON.stringify(results)}`)), timeoutMs);
        waiters.push({ match, resolve: (r) => { clearTimeout(timer); resolve(r); } });
      });
    },
    stop,
  };
}

/** Waits until `check` returns a truthy value, polling; fails with `what` after the timeout. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const ORDER_FIELDS = `
  id status currency amount amountRefunded customerEmail createdAt updatedAt
  items { sku name unitAmount quantity lineAmount }
  payments { id provider method status amount currency providerSessionId providerPaymentId providerChargeId failureCode failureMessage autoRefundReason }
  refunds { id amount currency status providerRefundId reason }
  events { sequence type fromStatus toStatus source message at }
`;

/** Creates an order through the API; returns its id and access token. */
export async function createOrder(graphqlUrl: string, items: { sku: string; quantity: number }[], customerEmail?: string) {
  const res = await gql<{ createOrder: { accessToken: string; order: { id: string; amount: number; currency: string } } }>(
    graphqlUrl,
    `mutation($input: CreateOrderInput!) { createOrder(input: $input) { accessToken order { id amount currency } } }`,
    { input: { items, customerEmail } },
  );
  if (!res.data?.createOrder) throw new Error(`createOrder failed: ${JSON.stringify(res.errors)}`);
  return { id: res.data.createOrder.order.id, token: res.data.createOrder.accessToken, order: res.data.createOrder.order };
}

/** How many orders exist, read through the admin API (used to prove that a failure wrote nothing). */
export async function countOrders(ts: TestService): Promise<number> {
  const res = await gql<{ orders: { totalCount: number } }>(ts.graphqlUrl, '{ orders { totalCount } }', undefined, ts.adminKey);
  if (!res.data?.orders) throw new Error(`orders failed: ${JSON.stringify(res.errors)}`);
  return res.data.orders.totalCount;
}

/** Fails when an error response carries a stack trace or an internal file path. */
export function expectNoInternals(response: GqlResponse): void {
  for (const error of response.errors ?? []) {
    expect(error.extensions ?? {}).not.toHaveProperty('stacktrace');
    expect(error.extensions ?? {}).not.toHaveProperty('exception');
    expect(error.message).not.toMatch(/\bat \/|\.ts:\d+|node_modules|SQLITE_|knex|MikroORM/i);
  }
}

/** A pino destination that keeps every line written to it (for `createLogger(level, stream)`). */
export function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream, text: () => lines.join('\n') };
}

/** Inbox events the worker has still to apply now (RECEIVED; a FAILED one waits for its retry time). */
export async function unappliedWebhookEvents(ts: TestService): Promise<number> {
  const [row] = await ts.service.orm.em.getConnection().execute<{ n: number | string }[]>(`select count(*) as n from webhook_events where status = 'RECEIVED'`);
  return Number(row.n);
}

/**
 * Waits until the sandbox has no webhook delivery pending and the inbox worker has applied every
 * stored event, repeated until both hold at once (applying an event may make the sandbox send more).
 * Webhooks are acknowledged when stored and applied just after, so state is checked after this.
 */
export async function webhooksSettled(ts: TestService, timeoutMs = 8000): Promise<void> {
  await eventually(async () => {
    await ts.service.sandbox?.idle();
    return (await unappliedWebhookEvents(ts)) === 0 && (await unappliedWebhookEvents(ts)) === 0;
  }, 'the sandbox to deliver and the inbox worker to apply every webhook', timeoutMs);
}
