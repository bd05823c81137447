import type Stripe from 'stripe';
import { createLogger } from '../../src/logging/logger';
import { paidWhileHeld } from '../helpers/held-webhooks.helpers';
import { captureLogs, errorCode, eventually, gql, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import {
  holdWebhooks, newOrder, orderOf, postWebhook, releaseHeldWebhooks, rows, sandboxStripe, sign, waitForStatus,
} from './stripe.e2e-helpers';

const EVENTS = `query($status: WebhookEventStatus, $orderId: ID, $type: String, $provider: PaymentProvider, $first: Int, $after: String) {
  webhookEvents(status: $status, orderId: $orderId, type: $type, provider: $provider, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id provider eventId type status outcome attempts lastError nextAttemptAt receivedAt appliedAt orderId payload } }
  }
}`;
const REPLAY = `mutation($id: ID!) { replayWebhookEvent(id: $id) { id status attempts lastError appliedAt orderId } }`;
const RETRY_DEAD = `mutation { retryDeadWebhookEvents }`;
const FAIL_ORDER_LOG = `create trigger inject_failure before insert on order_events begin select raise(abort, 'injected failure'); end`;

/** A checkout paid on the hosted page with webhooks held: its order and its signed-able `checkout.session.completed` body. */
async function paidCheckout(ts: TestService): Promise<{ id: string; token: string; eventId: string; payload: string }> {
  const { id, token, sessionId, events } = await paidWhileHeld(ts);
  const event = events.find((e) => e.eventType === 'checkout.session.completed' && e.body.data.object.id === sessionId)!;
  return { id, token, eventId: event.eventId, payload: JSON.stringify(event.body) };
}

const statusChanges = (order: Record<string, any>) => order.events.filter((e: { type: string }) => e.type === 'STATUS_CHANGED').map((e: { toStatus: string }) => e.toStatus);

describe('webhook inbox: retries, DEAD, operators', () => {
  let ts: TestService;
  let stripe: Stripe;
  const logs = captureLogs();

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on', WEBHOOK_MAX_ATTEMPTS: '3' }, {}, { logger: createLogger('warn', logs.stream) });
    stripe = sandboxStripe(ts);
    await holdWebhooks(ts, true);
  });

  afterAll(async () => {
    await releaseHeldWebhooks(ts);
    await ts.close();
  });

  it('an event whose application throws → 200 at once, retried with backoff, DEAD after the limit, listed; replay applies it once the cause is gone', async () => {
    const paid = await paidCheckout(ts);
    const connection = ts.service.orm.em.getConnection();
    await connection.execute(FAIL_ORDER_LOG);
    let dead: Record<string, any>;
    try {
      const started = Date.now();
      const res = await postWebhook(ts, paid.payload, { 'stripe-signature': sign(stripe, paid.payload) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ received: true, result: 'stored', eventId: paid.eventId });
      expect(Date.now() - started).toBeLessThan(1000);
      dead = await eventually(async () => {
        const page = (await gql(ts.graphqlUrl, EVENTS, { status: 'DEAD', type: 'checkout.session.completed' }, ts.adminKey)).data!.webhookEvents;
        return page.edges.find((e: any) => e.node.eventId === paid.eventId)?.node;
      }, 'the event to be DEAD');
    } finally {
      await connection.execute('drop trigger if exists inject_failure');
    }
    expect(dead).toMatchObject({ provider: 'STRIPE', status: 'DEAD', attempts: 3, lastError: expect.stringContaining('injected failure'), appliedAt: null, nextAttemptAt: null });
    expect(JSON.parse(dead.payload).id).toBe(paid.eventId);
    expect(logs.text()).toMatch(/"level":50.*webhook event is DEAD/);
    expect((await orderOf(ts, paid.id)).status).toBe('PENDING');

    const replayed = await gql(ts.graphqlUrl, REPLAY, { id: dead.id }, ts.adminKey);
    expect(replayed.errors).toBeUndefined();
    expect(replayed.data!.replayWebhookEvent).toMatchObject({ id: dead.id, status: 'APPLIED', attempts: 4, lastError: null, orderId: paid.id });
    const order = await orderOf(ts, paid.id);
    expect(order.status).toBe('PAID');
    expect(statusChanges(order)).toEqual(['PENDING', 'PAID']);

    // Replay is idempotent: replaying an applied event changes nothing.
    const again = await gql(ts.graphqlUrl, REPLAY, { id: dead.id }, ts.adminKey);
    expect(again.data!.replayWebhookEvent).toMatchObject({ status: 'APPLIED', attempts: 4 });
    expect((await orderOf(ts, paid.id)).events).toEqual(order.events);
    const byOrder = (await gql(ts.graphqlUrl, EVENTS, { orderId: paid.id }, ts.adminKey)).data!.webhookEvents;
    expect(byOrder.edges.map((e: any) => [e.node.eventId, e.node.status])).toEqual([[paid.eventId, 'APPLIED']]);
  });

  it('retryDeadWebhookEvents puts every DEAD event back in line and the worker applies them', async () => {
    const paid = [await paidCheckout(ts), await paidCheckout(ts)];
    const connection = ts.service.orm.em.getConnection();
    await connection.execute(FAIL_ORDER_LOG);
    try {
      for (const p of paid) expect((await postWebhook(ts, p.payload, { 'stripe-signature': sign(stripe, p.payload) })).status).toBe(200);
      await eventually(async () => (await rows(ts, `select 1 from webhook_events where status = 'DEAD' and event_id in (?, ?)`, paid.map((p) => p.eventId))).length === 2, 'both events DEAD');
    } finally {
      await connection.execute('drop trigger if exists inject_failure');
    }
    // Requeued on ingest's connection: SQLite's one writer of the inbox file.
    const requeues: string[] = [];
    const record = (q: { sql: string }) => void (/^update .?webhook_events.? set .?status.? = \?/i.test(q.sql) && requeues.push(q.sql));
    ts.service.inboxWriter!.knex.on('query', record);
    const retried = await gql(ts.graphqlUrl, RETRY_DEAD, {}, ts.adminKey);
    ts.service.inboxWriter!.knex.off('query', record);
    expect(requeues).toHaveLength(1);
    expect(retried.data!.retryDeadWebhookEvents).toBe(2);
    for (const p of paid) await waitForStatus(ts, p.id, 'PAID');
    expect((await gql(ts.graphqlUrl, RETRY_DEAD, {}, ts.adminKey)).data!.retryDeadWebhookEvents).toBe(0);
  });

  it('webhookEvents pages newest first and filters; a bad cursor is BAD_USER_INPUT; an unknown id is NOT_FOUND', async () => {
    const all = (await gql(ts.graphqlUrl, EVENTS, { first: 100 }, ts.adminKey)).data!.webhookEvents;
    expect(all.totalCount).toBeGreaterThanOrEqual(3);
    const first = (await gql(ts.graphqlUrl, EVENTS, { first: 1 }, ts.adminKey)).data!.webhookEvents;
    const second = (await gql(ts.graphqlUrl, EVENTS, { first: 1, after: first.pageInfo.endCursor }, ts.adminKey)).data!.webhookEvents;
    expect([first.edges[0].node.id, second.edges[0].node.id]).toEqual(all.edges.slice(0, 2).map((e: any) => e.node.id));
    expect(first.pageInfo.hasNextPage).toBe(true);
    const paypal = (await gql(ts.graphqlUrl, EVENTS, { provider: 'PAYPAL' }, ts.adminKey)).data!.webhookEvents;
    expect(paypal.edges.every((e: any) => e.node.provider === 'PAYPAL')).toBe(true);
    expect(errorCode(await gql(ts.graphqlUrl, EVENTS, { after: 'bm90LWEtY3Vyc29y' }, ts.adminKey))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(ts.graphqlUrl, REPLAY, { id: '00000000-0000-0000-0000-000000000000' }, ts.adminKey))).toBe('NOT_FOUND');
  });

  it('a customer token gets FORBIDDEN, and no token UNAUTHENTICATED or FORBIDDEN, on all three operations', async () => {
    const { token } = await newOrder(ts);
    const [any] = await rows(ts, 'select id from webhook_events limit 1');
    for (const [query, variables] of [[EVENTS, {}], [REPLAY, { id: any.id }], [RETRY_DEAD, {}]] as const) {
      expect(errorCode(await gql(ts.graphqlUrl, query, variables, token))).toBe('FORBIDDEN');
      expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(errorCode(await gql(ts.graphqlUrl, query, variables)));
    }
  });
});

describe('webhook inbox: storing', () => {
  let ts: TestService;
  let stripe: Stripe;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on' });
    stripe = sandboxStripe(ts);
    await holdWebhooks(ts, true);
  });

  afterAll(async () => {
    await releaseHeldWebhooks(ts);
    await ts.close();
  });

  it('50 concurrent copies of one event share a group commit: one row, one application, every copy 200', async () => {
    const paid = await paidCheckout(ts);
    const inserts: string[] = [];
    const knex = ts.service.orm.em.getConnection().getKnex();
    const record = (q: { sql: string }) => {
      if (/^insert into .webhook_events/i.test(q.sql)) inserts.push(q.sql);
    };
    knex.on('query', record);
    let answers: { status: number; result: string }[];
    // The client runs on the service's event loop: open its 50 keep-alive sockets first, so the
    // copies arrive together as a provider's concurrent retries would, not one connect at a time.
    await Promise.all(Array.from({ length: 50 }, async () => (await fetch(`${ts.url}/healthz`)).arrayBuffer()));
    try {
      const signature = sign(stripe, paid.payload);
      answers = await Promise.all(Array.from({ length: 50 }, async () => {
        const res = await postWebhook(ts, paid.payload, { 'stripe-signature': signature });
        return { status: res.status, result: ((await res.json()) as { result: string }).result };
      }));
    } finally {
      knex.off('query', record);
    }
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(answers.filter((a) => a.result === 'stored')).toHaveLength(1);
    // Group commit: far fewer INSERT statements than deliveries.
    expect(inserts.length).toBeLessThan(10);
    await webhooksSettled(ts);
    expect(await rows(ts, 'select status from webhook_events where event_id = ?', [paid.eventId])).toEqual([{ status: 'APPLIED' }]);
    expect(statusChanges(await orderOf(ts, paid.id))).toEqual(['PENDING', 'PAID']);
  });

  it('a read-only database → 503 with Retry-After and nothing stored; writable again → the retry is stored and applied', async () => {
    const paid = await paidCheckout(ts);
    // Both files read-only: the payments file and the inbox's own (ingest's connection).
    const connections = [ts.service.orm.em.getConnection().getKnex(), ts.service.inboxWriter!.knex];
    for (const c of connections) await c.raw('pragma query_only = 1');
    let refused: Response;
    try {
      refused = await postWebhook(ts, paid.payload, { 'stripe-signature': sign(stripe, paid.payload) });
    } finally {
      for (const c of connections) await c.raw('pragma query_only = 0');
    }
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(JSON.stringify(await refused.json())).not.toMatch(/SQLITE|readonly/i);
    expect(await rows(ts, 'select 1 from webhook_events where event_id = ?', [paid.eventId])).toEqual([]);

    const retried = await postWebhook(ts, paid.payload, { 'stripe-signature': sign(stripe, paid.payload) });
    expect(retried.status).toBe(200);
    await waitForStatus(ts, paid.id, 'PAID');
  });

  it('past the waiting-queue limit deliveries get 503 with Retry-After; every 200 was stored and is applied', async () => {
    const small = await startTestService({ SANDBOX: 'on' }, {}, { inbox: { maxQueued: 2 } });
    try {
      const smallStripe = sandboxStripe(small);
      await holdWebhooks(small, true);
      const paid = await Promise.all(Array.from({ length: 12 }, () => paidCheckout(small)));
      const answers = await Promise.all(paid.map((p) => postWebhook(small, p.payload, { 'stripe-signature': sign(smallStripe, p.payload) })));
      const statuses = answers.map((a) => a.status);
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
      expect(statuses).toContain(503);
      for (const a of answers.filter((x) => x.status === 503)) expect(a.headers.get('retry-after')).toBe('1');
      await webhooksSettled(small);
      for (const [i, p] of paid.entries()) {
        const stored = await rows(small, 'select status from webhook_events where event_id = ?', [p.eventId]);
        expect(stored).toEqual(statuses[i] === 200 ? [{ status: 'APPLIED' }] : []);
      }
      await releaseHeldWebhooks(small);
    } finally {
      await small.close();
    }
  });

  it('after WEBHOOK_PAYLOAD_RETENTION_DAYS the payload is dropped and the row still deduplicates', async () => {
    const paid = await paidCheckout(ts);
    expect((await postWebhook(ts, paid.payload, { 'stripe-signature': sign(stripe, paid.payload) })).status).toBe(200);
    await webhooksSettled(ts);
    // As if received 31 days ago (retention 30 by default), then the sweep runs.
    await ts.service.orm.em.getConnection().execute('update webhook_events set received_at = ? where event_id = ?', [Date.now() - 31 * 86_400_000, paid.eventId]);
    expect(await ts.service.services.webhooks.sweepRetention()).toBeGreaterThanOrEqual(1);
    expect(await rows(ts, 'select payload, status from webhook_events where event_id = ?', [paid.eventId])).toEqual([{ payload: null, status: 'APPLIED' }]);
    const late = await postWebhook(ts, paid.payload, { 'stripe-signature': sign(stripe, paid.payload) });
    expect(await late.json()).toMatchObject({ result: 'duplicate' });
  });
});
