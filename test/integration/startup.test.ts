import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt, runMain as run, waitForOutput } from '../helpers/process.helpers';
import { gql } from '../helpers/service.helpers';
import { portIsFree } from '../helpers/tcp.helpers';

/** The real process: start-up from nothing, graceful shutdown, refusal of a bad configuration. */
describe('node dist/main.js', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir() };

  beforeAll(() => {
    ensureBuilt();
  }, 120_000);

  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function freshDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'payments-start-'));
    dirs.push(dir);
    return dir;
  }

  it('starts in an empty directory with no configuration, serves GraphQL, stores in ./data and stops cleanly on SIGTERM', async () => {
    const dir = freshDir();
    const env: Record<string, string> = { ...baseEnv };
    // Only when a default port is taken on this machine; otherwise the environment stays empty.
    if (!(await portIsFree(4000)) || !(await portIsFree(4010))) Object.assign(env, { PORT: '0', SANDBOX_PORT: '0' });
    const started = run(dir, env);
    children.push(started.child);

    const url = (await waitForOutput(started, /GraphQL API: (http:\/\/\S+\/graphql)/))[1];
    // No credentials and SANDBOX=auto: both providers are played by the in-process sandbox.
    expect(started.stdout()).toMatch(/Provider sandbox \(Stripe sandbox, PayPal sandbox\): http:\/\/\S+/);
    const adminKey = (await waitForOutput(started, /Admin API key \(generated[^)]*\): (\S+)/))[1];
    if (!env.PORT) expect(url).toBe('http://127.0.0.1:4000/graphql');
    // Development publishes the sandbox's webhook secret, so it listens on this machine only and says so.
    expect(started.stdout()).toMatch(/Listening on 127\.0\.0\.1 only: other machines cannot reach this development service \(set HOST=0\.0\.0\.0 to allow them\)/);

    const products = await gql<{ products: { sku: string }[] }>(url, '{ products { sku } }');
    expect(products.data!.products.map((p) => p.sku)).toContain('MUG-WHT');
    const created = await gql(url, 'mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 2 }] }) { accessToken order { id amount } } }');
    expect(created.errors).toBeUndefined();
    expect(created.data!.createOrder.order.amount).toBe(2400);
    const listed = await gql(url, '{ orders { totalCount } }', undefined, adminKey);
    expect(listed.data!.orders.totalCount).toBe(1);
    expect(existsSync(path.join(dir, 'data', 'payments.sqlite'))).toBe(true);

    started.child.kill('SIGTERM');
    expect(await started.exit).toBe(0);
    expect(started.stderr()).toBe('');
    // The generated key is shown once in the banner, never in the JSON log lines.
    const logLines = started.stdout().split('\n').filter((l) => l.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(adminKey);
    expect(logLines.join('\n')).not.toContain(created.data!.createOrder.accessToken);
  }, 60_000);

  it('keeps its data across a restart in the same directory', async () => {
    const dir = freshDir();
    const env = { ...baseEnv, SANDBOX: 'off', PORT: '0', ADMIN_API_KEY: 'restart-admin-key-0123456789abcdef' };
    for (const expected of [0, 1]) {
      const started = run(dir, env);
      children.push(started.child);
      const url = (await waitForOutput(started, /GraphQL API: (http:\/\/\S+\/graphql)/))[1];
      const before = await gql(url, '{ orders { totalCount } }', undefined, env.ADMIN_API_KEY);
      expect(before.data!.orders.totalCount).toBe(expected);
      if (expected === 0) await gql(url, 'mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 1 }] }) { accessToken } }');
      expect(started.stdout()).not.toContain('Admin API key');
      started.child.kill('SIGTERM');
      expect(await started.exit).toBe(0);
    }
  }, 60_000);

  /** Starts a development service on free ports with the sandbox, slows Stripe down, and starts one charge. */
  async function chargeDuringShutdown(graceSeconds: number) {
    const dir = freshDir();
    const env = { ...baseEnv, PORT: '0', SANDBOX_PORT: '0', ADMIN_API_KEY: 'shutdown-admin-key-0123456789abcdef', SHUTDOWN_GRACE_SECONDS: String(graceSeconds) };
    const started = run(dir, env);
    children.push(started.child);
    const url = (await waitForOutput(started, /GraphQL API: (http:\/\/\S+\/graphql)/))[1];
    const sandboxUrl = (await waitForOutput(started, /Provider sandbox \([^)]*\): (http:\/\/\S+)/))[1];
    const created = await gql(url, 'mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 1 }] }) { accessToken order { id } } }');
    const { accessToken, order } = created.data!.createOrder;
    const fault = await fetch(`${sandboxUrl}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'stripe', kind: 'latency', ms: 2500, count: 10 }),
    });
    expect(fault.status).toBe(201);
    const charge = gql(url, 'mutation($input: ChargeWithTokenInput!) { chargeWithToken(input: $input) { order { status } } }', { input: { orderId: order.id, token: 'tok_visa' } }, accessToken)
      .then((r) => r, (error: unknown) => error as Error);
    // The charge is now waiting on the (slowed) provider when the signal arrives.
    await new Promise((r) => setTimeout(r, 800));
    started.child.kill('SIGTERM');
    return { started, charge };
  }

  it('lets a provider call in flight finish within SHUTDOWN_GRACE_SECONDS, then exits 0', async () => {
    const { started, charge } = await chargeDuringShutdown(20);
    const result = await charge;
    expect((result as { data?: { chargeWithToken: { order: { status: string } } } }).data!.chargeWithToken.order.status).toBe('PAID');
    expect(await started.exit).toBe(0);
  }, 60_000);

  it('exits non-zero, saying so, when the grace runs out with requests still running', async () => {
    const { started, charge } = await chargeDuringShutdown(1);
    // fetch's TypeError comes from Node's realm, not jest's: compare the message, not the class.
    expect(String((await charge as { message?: unknown }).message)).toMatch(/fetch failed|terminated|socket/);
    expect(await started.exit).toBe(1);
    expect(started.stdout()).toMatch(/requests were cut off by the shutdown grace/);
  }, 60_000);

  it.each<[Record<string, string>, RegExp]>([
    [{ PORT: 'abc' }, /PORT: must be a whole number/],
    [{ SANDBOX: 'maybe' }, /SANDBOX: must be 'auto', 'on' or 'off'/],
    [{ NODE_ENV: 'production' }, /ADMIN_API_KEY: required when NODE_ENV=production/],
    [{ STRIPE_SECRET_KEY: 'sk_test_abc' }, /STRIPE_WEBHOOK_SECRET: required together with STRIPE_SECRET_KEY/],
    [{ DATABASE_URL: 'postgres://user:pw@localhost' }, /DATABASE_URL: name one database/],
    [{ NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(32), PUBLIC_URL: 'https://pay.example.com', SANDBOX: 'on' }, /SANDBOX: 'on' is not allowed when NODE_ENV=production/],
    [{ NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(32) }, /ALLOWED_REDIRECT_ORIGINS: required when NODE_ENV=production unless PUBLIC_URL is set/],
  ])('exits non-zero naming the variable for %j', async (bad, message) => {
    const dir = freshDir();
    const started = run(dir, { ...baseEnv, ...bad });
    children.push(started.child);
    expect(await started.exit).toBe(1);
    expect(started.stderr()).toMatch(/Invalid configuration/);
    expect(started.stderr()).toMatch(message);
    expect(started.stdout()).toBe('');
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
  }, 30_000);
});
