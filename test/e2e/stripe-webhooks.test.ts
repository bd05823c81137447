import type Stripe from 'stripe';
import { control } from '../helpers/sandbox.helpers';
import { eventually, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import {
  charge, checkout, deliverConcurrently, holdWebhooks, newOrder, orderOf, payOnHostedPage, postWebhook, releaseHeldWebhooks, rows, sandboxEvents, sandboxStripe, sign, type SandboxEvent, waitForStatus,
} from './stripe.e2e-helpers';

/** The order's checkout paid on the hosted page with webhooks held; returns the events Stripe generated for it. */
async function paidWhileHeld(ts: TestService): Promise<{ id: string; token: string; sessionId: string; events: SandboxEvent[] }> {
  const { id, token } = await newOrder(ts);
  const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
  expect((await payOnHostedPage(session.url)).status).toBe(303);
  const events = (await sandboxEvents(ts)).filter((e) => {
    const o = e.body.data.object;
    return o.metadata?.orderId === id || o.client_reference_id === id;
  });
  return { id, token, sessionId: session.sessionId, events };
}

const body = (e: SandboxEvent) => JSON.stringify(e.body);
const statusChanges = (order: Record<string, any>) => order.events.filter((e: { type: string }) => e.type === 'STATUS_CHANGED');

describe('POST /webhooks/stripe', () => {
  let ts: TestService;
  let stripe: Stripe;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on' });
    stripe = sandboxStripe(ts);
  });

  afterEach(async () => {
    await releaseHeldWebhooks(ts);
    await webhooksSettled(ts);
  });

  afterAll(async () => {
    await ts.close();
  });

  it('forged, tampered, missing and 10-minute-old signatures → 400 and nothing applied; the genuine one → 200 and PAID', async () => {
    await holdWebhooks(ts, true);
    const { id, events } = await paidWhileHeld(ts);
    const completed = events.find((e) => e.eventType === 'checkout.session.completed')!;
    const payload = body(completed);

    const forged = await postWebhook(ts, payload, { 'stripe-signature': sign(stripe, payload, 'whsec_not_the_secret') });
    const tampered = await postWebhook(ts, payload.replace(`"amount_total":${completed.body.data.object.amount_total}`, '"amount_total":1'), { 'stripe-signature': sign(stripe, payload) });
    const missing = await postWebhook(ts, payload, {});
    const stale = await postWebhook(ts, payload, { 'stripe-signature': sign(stripe, payload, undefined, Math.floor(Date.now() / 1000) - 600) });
    const garbage = await postWebhook(ts, payload, { 'stripe-signature': 'not-a-signature' });
    for (const res of [forged, tampered, missing, stale, garbage]) expect(res.status).toBe(400);
    const reason = async (res: Response) => ((await res.json()) as { error: string }).error;
    expect(await reason(missing)).toContain('Missing Stripe-Signature');
    expect(await reason(stale)).toContain('tolerance');
    expect(await reason(forged)).toContain('No signatures found matching the expected signature');

    expect(await rows(ts, 'select * from webhook_events where event_id = ?', [completed.eventId])).toEqual([]);
    const untouched = await orderOf(ts, id);
    expect(untouched.status).toBe('PENDING');
    expect(untouched.payments[0].status).toBe('OPEN');

    const genuine = await postWebhook(ts, payload, { 'stripe-signature': sign(stripe, payload) });
    expect(genuine.status).toBe(200);
    expect(await genuine.json()).toMatchObject({ received: true, result: 'stored', eventId: completed.eventId });
    await waitForStatus(ts, id, 'PAID');
  });

  it('one event delivered 50 times at once is applied exactly once', async () => {
    await holdWebhooks(ts, true);
    const { id, events } = await paidWhileHeld(ts);
    const completed = events.find((e) => e.eventType === 'checkout.session.completed')!;
    const payload = body(completed);
    const signature = sign(stripe, payload);
    const answers = await deliverConcurrently(ts, payload, signature, 50);
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    const results = answers.map((a) => a.result);
    expect(results.filter((r) => r === 'stored')).toHaveLength(1);
    expect(results.filter((r) => r === 'duplicate')).toHaveLength(49);

    // The sandbox's own deliveries, plus 20 more copies, are duplicates too.
    await releaseHeldWebhooks(ts);
    await control(ts.service.sandbox!, 'POST', '/webhooks/redeliver', { eventId: completed.eventId, copies: 20 });
    await webhooksSettled(ts);
    expect(await rows(ts, 'select * from webhook_events where event_id = ?', [completed.eventId])).toHaveLength(1);
    const order = await orderOf(ts, id);
    expect(order.status).toBe('PAID');
    expect(statusChanges(order).map((e: { toStatus: string }) => e.toStatus)).toEqual(['PENDING', 'PAID']);
  });

  it('every delivery order of one checkout-and-refund’s events ends in the same state', async () => {
    const handled = ['payment_intent.succeeded', 'checkout.session.completed', 'charge.refunded', 'refund.created'];
    const orders = permutations([0, 1, 2, 3]);
    await holdWebhooks(ts, true);
    const flows: { id: string; order: string[] }[] = [];
    for (const permutation of orders) {
      const { id, sessionId } = await paidWhileHeld(ts);
      const session = await stripe.checkout.sessions.retrieve(sessionId);
      // A partial refund made at Stripe directly (as from the Dashboard): its events join the held queue.
      await stripe.refunds.create({ payment_intent: session.payment_intent as string, amount: 1000 });
      const events = (await sandboxEvents(ts)).filter((e) => e.body.data.object.metadata?.orderId === id || e.body.data.object.client_reference_id === id || e.body.data.object.payment_intent === session.payment_intent);
      const byType = new Map(events.map((e) => [e.eventType, e.eventId]));
      for (const type of handled) expect(byType.get(type)).toBeDefined();
      flows.push({ id, order: permutation.map((i) => byType.get(handled[i])!) });
    }
    const released = await control<{ released: string[] }>(ts.service.sandbox!, 'POST', '/webhooks/release', { provider: 'stripe', order: flows.flatMap((f) => f.order) });
    expect(released.body.released.slice(0, 96)).toEqual(flows.flatMap((f) => f.order));
    // 96 deliveries and the refunds they trigger: on a loaded CI machine this takes longer than the usual wait.
    await webhooksSettled(ts, 40_000);

    const finals = await Promise.all(flows.map(async (f) => summary(await orderOf(ts, f.id))));
    for (const final of finals) {
      expect(final).toEqual({
        status: 'PARTIALLY_REFUNDED',
        amountRefunded: 1000,
        payments: [['SUCCEEDED', true, true]],
        refunds: [[1000, 'SUCCEEDED', true]],
        needsAttention: 0,
      });
    }
    const applied = await rows(ts, `select outcome from webhook_events where event_id in (${flows.flatMap((f) => f.order).map(() => '?').join(',')})`, flows.flatMap((f) => f.order));
    expect(applied).toHaveLength(96);
  }, 90_000);

  it('a failure while applying → 200 at once; the worker retries it with backoff and applies it once the cause is gone', async () => {
    await holdWebhooks(ts, true);
    const { id, events } = await paidWhileHeld(ts);
    const succeeded = events.find((e) => e.eventType === 'payment_intent.succeeded')!;
    const payload = body(succeeded);
    const connection = ts.service.orm.em.getConnection();
    // A real failure inside the applying transaction: the order-log insert is refused by the database.
    await connection.execute(`create trigger inject_failure before insert on order_events begin select raise(abort, 'injected failure'); end`);
    try {
      const stored = await postWebhook(ts, payload, { 'stripe-signature': sign(stripe, payload) });
      expect(stored.status).toBe(200);
      expect(JSON.stringify(await stored.json())).not.toContain('injected');
      await eventually(async () => (await rows(ts, 'select attempts from webhook_events where event_id = ? and attempts >= 2', [succeeded.eventId])).length > 0, 'two failed attempts');
      const [failed] = await rows(ts, 'select status, last_error from webhook_events where event_id = ?', [succeeded.eventId]);
      expect(failed).toMatchObject({ status: 'FAILED', last_error: expect.stringContaining('injected failure') });
      const rolledBack = await orderOf(ts, id);
      expect(rolledBack.status).toBe('PENDING');
      expect(rolledBack.payments[0]).toMatchObject({ status: 'OPEN', providerPaymentId: null });
    } finally {
      await connection.execute('drop trigger if exists inject_failure');
    }
    await waitForStatus(ts, id, 'PAID');
    const again = await postWebhook(ts, payload, { 'stripe-signature': sign(stripe, payload) });
    expect(await again.json()).toMatchObject({ result: 'duplicate' });
    await webhooksSettled(ts);
    const order = await orderOf(ts, id);
    expect(statusChanges(order).map((e: { toStatus: string }) => e.toStatus)).toEqual(['PENDING', 'PAID']);
    expect(await rows(ts, 'select status from webhook_events where event_id = ?', [succeeded.eventId])).toEqual([{ status: 'APPLIED' }]);
  });

  it('unknown event types and events about objects we do not know are stored and acknowledged', async () => {
    const unknownType = JSON.stringify({ id: 'evt_test_unknown_type', object: 'event', type: 'customer.created', data: { object: { id: 'cus_1', object: 'customer' } } });
    const res = await postWebhook(ts, unknownType, { 'stripe-signature': sign(stripe, unknownType) });
    expect(res.status).toBe(200);
    const foreign = JSON.stringify({
      id: 'evt_test_foreign_pi', object: 'event', type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_not_ours', object: 'payment_intent', status: 'succeeded', amount: 100, amount_received: 100, currency: 'usd', metadata: {}, latest_charge: null } },
    });
    expect((await postWebhook(ts, foreign, { 'stripe-signature': sign(stripe, foreign) })).status).toBe(200);
    await webhooksSettled(ts);
    const stored = await rows(ts, `select event_id, status, outcome from webhook_events where event_id in ('evt_test_unknown_type', 'evt_test_foreign_pi') order by event_id`);
    expect(stored).toEqual([
      { event_id: 'evt_test_foreign_pi', status: 'IGNORED', outcome: expect.stringContaining('IGNORED: no payment of ours') },
      { event_id: 'evt_test_unknown_type', status: 'IGNORED', outcome: expect.stringContaining('IGNORED') },
    ]);
  });

  it('charge.dispute.created → DISPUTED', async () => {
    const { id, token } = await newOrder(ts);
    const { chargeWithToken } = (await charge(ts, id, token, 'tok_visa')).data!;
    const dispute = await control(ts.service.sandbox!, 'POST', '/stripe/disputes', { charge: chargeWithToken.chargeId });
    expect(dispute.status).toBe(201);
    const order = await waitForStatus(ts, id, 'DISPUTED');
    expect(statusChanges(order).at(-1).source).toMatch(/^stripe:evt_/);
  });
});

/** A failure while applying is ours to retry: the sender gets 200 at once and never has to redeliver. */
describe('POST /webhooks/stripe while applying fails', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on' }, { webhookRetryDelaysMs: [500, 1000, 2000] });
  });

  afterAll(async () => {
    await ts.close();
  });

  it('answers 200 to the first delivery, and the inbox worker applies the event once the cause is gone', async () => {
    const { id, token } = await newOrder(ts);
    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    const connection = ts.service.orm.em.getConnection();
    await connection.execute(`create trigger inject_failure before insert on order_events begin select raise(abort, 'injected failure'); end`);
    try {
      expect((await payOnHostedPage(session.url)).status).toBe(303);
      await waitForDelivery(ts, 'checkout.session.completed', (d) => d.delivered);
      await eventually(async () => (await rows(ts, `select 1 from webhook_events where type = 'checkout.session.completed' and status = 'FAILED'`)).length > 0, 'a failed attempt');
      expect((await orderOf(ts, id)).status).toBe('PENDING');
    } finally {
      await connection.execute('drop trigger if exists inject_failure');
    }
    await waitForStatus(ts, id, 'PAID');
    await webhooksSettled(ts);
    const order = await orderOf(ts, id);
    expect(statusChanges(order).map((e: { toStatus: string }) => e.toStatus)).toEqual(['PENDING', 'PAID']);
    const deliveries = (await control<Delivery[]>(ts.service.sandbox!, 'GET', '/deliveries?provider=stripe&eventType=checkout.session.completed')).body;
    expect(deliveries[0].attempts.map((a) => a.status)).toEqual([200]);
  }, 20000);
});

interface Delivery {
  eventType: string;
  attempts: { status: number | string }[];
  delivered: boolean;
}

async function waitForDelivery(ts: TestService, eventType: string, match: (d: Delivery) => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const deliveries = (await control<Delivery[]>(ts.service.sandbox!, 'GET', `/deliveries?provider=stripe&eventType=${eventType}`)).body;
    if (deliveries.some(match)) return;
    if (Date.now() > deadline) throw new Error(`no ${eventType} delivery matched: ${JSON.stringify(deliveries)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

function summary(order: Record<string, any>) {
  return {
    status: order.status,
    amountRefunded: order.amountRefunded,
    payments: order.payments.map((p: Record<string, any>) => [p.status, Boolean(p.providerPaymentId), Boolean(p.providerSessionId)]),
    refunds: order.refunds.map((r: Record<string, any>) => [r.amount, r.status, Boolean(r.providerRefundId)]),
    needsAttention: order.events.filter((e: { type: string }) => e.type === 'NEEDS_ATTENTION').length,
  };
}
