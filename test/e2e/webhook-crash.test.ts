import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/core/sandbox.types';
import { ensureBuilt, runMain, waitForOutput, type Started } from '../helpers/process.helpers';
import { freePort } from '../helpers/tcp.helpers';
import { control, startTestSandbox, TEST_CREDENTIALS } from '../helpers/sandbox.helpers';
import { createOrder, eventually, gql, TEST_ADMIN_KEY } from '../helpers/service.helpers';
import { payOnHostedPage, SUCCESS_URL, CANCEL_URL } from './stripe.e2e-helpers';

const ORDERS = 30;
const ORDER_STATUS = `query($id: ID!) { order(id: $id) { status events { toStatus } } }`;
const EVENTS = `query($after: String) { webhookEvents(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { eventId status attempts } } } }`;

interface Delivery {
  eventId: string;
  attempts: { status: number | string }[];
  delivered: boolean;
}

/**
 * kill -9 of the real process (`node dist/main.js`) during a flood of signed events, with a
 * standalone sandbox that keeps redelivering what was not acknowledged: after a restart every
 * event is stored once and applied once, and every order is in its final state.
 */
describe('webhook inbox across kill -9', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  let service: Started | undefined;

  beforeAll(() => ensureBuilt(), 120_000);

  afterAll(async () => {
    if (service && service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGTERM');
      await service.exit;
    }
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores every event once and applies it once; every order ends PAID with one PAID transition', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'payments-crash-'));
    const port = await freePort();
    // Redeliveries spread over ~25 s: enough for the restart.
    sandbox = await startTestSandbox({ webhookRetryDelaysMs: [100, 200, 400, 800, 1600, 3200, 6400, 12800], webhookTimeoutMs: 3000 });
    sandbox.setWebhookUrls({ stripe: `http://127.0.0.1:${port}/webhooks/stripe` });
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite:${path.join(dir, 'payments.sqlite')}`,
      ADMIN_API_KEY: TEST_ADMIN_KEY,
      STRIPE_SECRET_KEY: 'sk_test_crash_test',
      STRIPE_WEBHOOK_SECRET: TEST_CREDENTIALS.stripeWebhookSecret,
      STRIPE_API_BASE: sandbox.url,
      SANDBOX: 'off',
    };
    const graphqlUrl = `http://127.0.0.1:${port}/graphql`;
    service = runMain(dir, env);
    await waitForOutput(service, /GraphQL API:/);

    await control(sandbox, 'POST', '/webhooks/hold', { provider: 'stripe', hold: true });
    const ids: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const { id, token } = await createOrder(graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const session = await gql(graphqlUrl, `mutation($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { url } }`, { input: { orderId: id, successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL } }, token);
      expect((await payOnHostedPage(session.data!.createCheckoutSession.url)).status).toBe(303);
      ids.push(id);
    }
    // The flood: every held event at once; kill -9 once some of them were acknowledged.
    await control(sandbox, 'POST', '/webhooks/hold', { provider: 'stripe', hold: false });
    await control(sandbox, 'POST', '/webhooks/release', { provider: 'stripe' });
    await eventually(async () => {
      const deliveries = (await control<Delivery[]>(sandbox, 'GET', '/deliveries?provider=stripe')).body;
      return deliveries.filter((d) => d.attempts.some((a) => a.status === 200)).length >= 10;
    }, 'ten acknowledged deliveries', 10_000);
    service.child.kill('SIGKILL');
    await service.exit;
    const before = (await control<Delivery[]>(sandbox, 'GET', '/deliveries?provider=stripe')).body;
    expect(before.some((d) => !d.delivered)).toBe(true);

    service = runMain(dir, env);
    await waitForOutput(service, /GraphQL API:/);
    for (const id of ids) {
      await eventually(async () => (await gql(graphqlUrl, ORDER_STATUS, { id }, TEST_ADMIN_KEY)).data?.order?.status === 'PAID', `order ${id} PAID`, 30_000);
    }
    await sandbox.idle();
    const deliveries = (await control<Delivery[]>(sandbox, 'GET', '/deliveries?provider=stripe')).body;
    expect(deliveries.every((d) => d.delivered)).toBe(true);

    const stored: { eventId: string; status: string }[] = [];
    let after: string | null = null;
    await eventually(async () => {
      stored.length = 0;
      after = null;
      for (;;) {
        const res = await gql(graphqlUrl, EVENTS, { after }, TEST_ADMIN_KEY);
        if (!res.data) throw new Error(`webhookEvents: ${JSON.stringify(res.errors)}`);
        const page: Record<string, any> = res.data.webhookEvents;
        stored.push(...page.edges.map((e: any) => e.node));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      return stored.every((e) => e.status === 'APPLIED' || e.status === 'IGNORED');
    }, 'every stored event applied', 10_000);
    const eventIds = new Set(deliveries.map((d) => d.eventId));
    expect(stored.map((e) => e.eventId).sort()).toEqual([...eventIds].sort());
    for (const id of ids) {
      const order = (await gql(graphqlUrl, ORDER_STATUS, { id }, TEST_ADMIN_KEY)).data!.order;
      expect(order.events.filter((e: { toStatus: string }) => e.toStatus === 'PAID')).toHaveLength(1);
    }
  }, 120_000);
});
