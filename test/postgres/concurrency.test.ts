import type Stripe from 'stripe';
import { WebhookEventEntity } from '../../src/db/entities';
import { control } from '../helpers/sandbox.helpers';
import { createOrder, errorCode, gql, type TestService } from '../helpers/service.helpers';
import { getOrder, paidOrder as paidPayPalOrder, paypalControl, stats, webhooksSettled } from '../e2e/paypal.kit';
import {
  charge, checkout, deliverConcurrently, holdWebhooks, newOrder, orderOf, payOnHostedPage, refund, releaseHeldWebhooks, sandboxEvents, sandboxStripe, sign, waitForStatus,
} from '../e2e/stripe.e2e-helpers';
import { startPostgresService } from './postgres.helpers';

interface Delivery { eventId: string; delivered: boolean; attempts: { status: number | string }[] }

/**
 * On PostgreSQL transactions really run in parallel (SQLite serialises them): the optimistic lock
 * and the inbox's unique key are what keep refunds and webhooks exact.
 */
describe('PostgreSQL: concurrent refunds, webhooks and order creation', () => {
  let ts: TestService;
  let stripe: Stripe;
  const execute = <T = Record<string, any>>(sql: string, params: unknown[] = []) => ts.service.orm.em.getConnection().execute<T[]>(sql, params);

  beforeAll(async () => {
    // Generous retries: conflicting deliveries answer 500 and must converge through the sandbox's retries.
    ts = await startPostgresService('concurrency', { SANDBOX: 'on' }, { webhookRetryDelaysMs: [50, 100, 200, 400, 800, 1600] });
    stripe = sandboxStripe(ts);
  });

  afterAll(async () => {
    await ts?.close();
  });

  async function paidStripeOrder() {
    const { id, token } = await newOrder(ts);
    const paid = await charge(ts, id, token, 'tok_visa');
    expect(paid.data!.chargeWithToken.order.status).toBe('PAID');
    await webhooksSettled(ts);
    return { id, chargeId: paid.data!.chargeWithToken.chargeId as string, amount: paid.data!.chargeWithToken.order.amount as number };
  }

  it('sequential refunds each succeed although the provider’s refund webhook races the recording of the answer', async () => {
    const { id, chargeId } = await paidStripeOrder();
    for (let i = 0; i < 6; i++) {
      const res = await refund(ts, id, 100);
      expect({ i, errors: res.errors }).toEqual({ i, errors: undefined });
      expect(res.data!.refundOrder.status).toBe('SUCCEEDED');
    }
    await webhooksSettled(ts);
    expect((await orderOf(ts, id)).amountRefunded).toBe(600);
    expect((await stripe.charges.retrieve(chargeId)).amount_refunded).toBe(600);
  }, 20000);

  it('card charges succeed for their callers although each charge’s own webhooks race the recording of the answer', async () => {
    const orders = await Promise.all(Array.from({ length: 12 }, () => newOrder(ts)));
    const results = await Promise.all(orders.map((o) => charge(ts, o.id, o.token, 'tok_visa')));
    expect(results.map((r) => r.errors?.[0]?.message ?? 'ok')).toEqual(orders.map(() => 'ok'));
    await webhooksSettled(ts);
    for (const o of orders) expect((await orderOf(ts, o.id)).status).toBe('PAID');
  });

  it('10 concurrent Stripe partial refunds over the paid amount: the total never exceeds it, here or at Stripe', async () => {
    const { id, chargeId, amount } = await paidStripeOrder();
    const results = await Promise.all(Array.from({ length: 10 }, () => refund(ts, id, 700)));
    const ok = results.filter((r) => !r.errors);
    for (const r of results.filter((x) => x.errors)) expect(errorCode(r)).toBe('CONFLICT');
    expect(ok.length).toBeGreaterThan(0);
    await webhooksSettled(ts);
    const order = await orderOf(ts, id);
    const succeeded = order.refunds.filter((r: { status: string }) => r.status === 'SUCCEEDED');
    expect(succeeded).toHaveLength(ok.length);
    expect(order.amountRefunded).toBe(700 * ok.length);
    expect(order.amountRefunded).toBeLessThanOrEqual(amount);
    expect((await stripe.charges.retrieve(chargeId)).amount_refunded).toBe(order.amountRefunded);
    // A CONFLICT answer means nothing was refunded: no refund exists that its caller was told failed.
    expect(order.refunds).toHaveLength(ok.length);
  }, 20000);

  it('10 concurrent PayPal partial refunds: the total never exceeds the capture, here or at PayPal', async () => {
    const order = await paidPayPalOrder(ts);
    await webhooksSettled(ts);
    const captureId = order.captured.payments[0].providerChargeId;
    const before = await stats(ts);
    const results = await Promise.all(Array.from({ length: 10 }, () => refund(ts, order.id, 1500)));
    const ok = results.filter((r) => !r.errors);
    for (const r of results.filter((x) => x.errors)) expect(errorCode(r)).toBe('CONFLICT');
    expect(ok.length).toBeGreaterThan(0);
    await webhooksSettled(ts);
    const after = await getOrder(ts, order.id);
    expect(after.refunds).toHaveLength(ok.length);
    expect(after.amountRefunded).toBe(1500 * ok.length);
    expect(after.amountRefunded).toBeLessThanOrEqual(order.captured.amount);
    expect((await stats(ts)).refunds - before.refunds).toBe(ok.length);
    const atPayPal = await paypalControl(ts, 'GET', `/captures/${captureId}`);
    expect(atPayPal.status).toBe(ok.length * 1500 === order.captured.amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED');
  }, 20000);

  it('one webhook delivered 50 times at once is applied exactly once, and every copy gets 200', async () => {
    await holdWebhooks(ts, true);
    try {
      const { id, token } = await newOrder(ts);
      const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
      expect((await payOnHostedPage(session.url)).status).toBe(303);
      const completed = (await sandboxEvents(ts)).find((e) => e.eventType === 'checkout.session.completed' && e.body.data.object.id === session.sessionId)!;
      const payload = JSON.stringify(completed.body);
      const signature = sign(stripe, payload);
      const answers = await deliverConcurrently(ts, payload, signature, 50);
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      const results = answers.map((a) => a.result);
      expect(results.filter((r) => r === 'stored')).toHaveLength(1);
      expect(results.filter((r) => r === 'duplicate')).toHaveLength(49);
      expect(await ts.service.orm.em.fork().count(WebhookEventEntity, { eventId: completed.eventId })).toBe(1);
      await webhooksSettled(ts);
      const order = await orderOf(ts, id);
      expect(order.status).toBe('PAID');
      expect(order.events.filter((e: { toStatus: string }) => e.toStatus === 'PAID')).toHaveLength(1);
    } finally {
      await releaseHeldWebhooks(ts);
      await webhooksSettled(ts);
    }
  });

  it('all of a payment’s events, each delivered 10 times at once, conflict and converge through retries: applied once each', async () => {
    await holdWebhooks(ts, true);
    const { id, token } = await newOrder(ts);
    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    expect((await payOnHostedPage(session.url)).status).toBe(303);
    const events = (await sandboxEvents(ts)).filter((e) => {
      const o = e.body.data.object;
      return o.metadata?.orderId === id || o.client_reference_id === id;
    });
    expect(events.length).toBeGreaterThan(1);
    const deliveriesBefore = (await control<Delivery[]>(ts.service.sandbox!, 'GET', '/deliveries?provider=stripe')).body.length;
    // Every event's copies at once, all events at once: they all write the same order.
    await Promise.all(events.map((e) => control(ts.service.sandbox!, 'POST', '/webhooks/redeliver', { eventId: e.eventId, copies: 10 })));
    await releaseHeldWebhooks(ts);
    await webhooksSettled(ts);

    const deliveries = (await control<Delivery[]>(ts.service.sandbox!, 'GET', '/deliveries?provider=stripe')).body.slice(deliveriesBefore);
    expect(deliveries.length).toBeGreaterThanOrEqual(events.length * 10);
    expect(deliveries.filter((d) => !d.delivered)).toEqual([]);
    for (const e of events) expect({ event: e.eventType, stored: await ts.service.orm.em.fork().count(WebhookEventEntity, { eventId: e.eventId }) }).toEqual({ event: e.eventType, stored: 1 });
    const order = await waitForStatus(ts, id, 'PAID');
    expect(order.payments).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
    expect(order.events.filter((e: { type: string }) => e.type === 'STATUS_CHANGED').map((e: { toStatus: string }) => e.toStatus)).toEqual(['PENDING', 'PAID']);
  }, 30000);

  it('createOrder is one transaction: a database failure on the third line leaves no order, item or event', async () => {
    const count = async () => {
      const [row] = await execute<{ orders: string; items: string; events: string }>(
        'select (select count(*) from orders) as orders, (select count(*) from order_items) as items, (select count(*) from order_events) as events',
      );
      return { orders: Number(row.orders), items: Number(row.items), events: Number(row.events) };
    };
    const before = await count();
    await execute(`create function fail_third_line() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`);
    await execute('create trigger fail_third_line before insert on order_items for each row when (new.position = 2) execute function fail_third_line()');
    const CREATE = `mutation($input: CreateOrderInput!) { createOrder(input: $input) { order { id } } }`;
    const items = [{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'TSHIRT-BLK', quantity: 1 }, { sku: 'STICKER-PACK', quantity: 1 }];
    try {
      const res = await gql(ts.graphqlUrl, CREATE, { input: { items } });
      expect(errorCode(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(res)).not.toMatch(/injected|order_items/);
      expect(await count()).toEqual(before);
    } finally {
      await execute('drop trigger fail_third_line on order_items');
      await execute('drop function fail_third_line');
    }
    const created = await Promise.all(Array.from({ length: 20 }, () => createOrder(ts.graphqlUrl, items)));
    expect(new Set(created.map((c) => c.id)).size).toBe(20);
    expect(await count()).toEqual({ orders: before.orders + 20, items: before.items + 60, events: before.events + 20 });
  });
});
