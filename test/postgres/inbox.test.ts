import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { checkout, holdWebhooks, newOrder, orderOf, payOnHostedPage, postWebhook, releaseHeldWebhooks, sandboxEvents, sandboxStripe, sign, waitForStatus } from '../e2e/stripe.e2e-helpers';
import { startPostgresService, type ScratchDatabase } from './postgres.helpers';

const paidTransitions = (order: Record<string, any>) => order.events.filter((e: { toStatus: string }) => e.toStatus === 'PAID').length;

/** Two instances on one PostgreSQL database drain one inbox: claims with SKIP LOCKED and a lease. */
describe('PostgreSQL: the webhook inbox across instances', () => {
  let a: TestService & { database: ScratchDatabase };
  let b: TestService;
  let stripe: Stripe;
  const execute = <T = Record<string, any>>(sql: string, params: unknown[] = []) => a.service.orm.em.getConnection().execute<T[]>(sql, params);

  beforeAll(async () => {
    a = await startPostgresService('inbox', { SANDBOX: 'on' });
    // B shares A's database; its own sandbox signs with the same sandbox secret, so either instance verifies every event.
    b = await startTestService({ SANDBOX: 'on', DATABASE_URL: a.database.url }, {}, { inbox: { leaseMs: 500 } });
    stripe = sandboxStripe(a);
    await holdWebhooks(a, true);
  });

  afterAll(async () => {
    await releaseHeldWebhooks(a);
    await b?.close();
    await a?.close();
  });

  async function paidCheckouts(count: number): Promise<{ id: string; payloads: string[] }[]> {
    const paid: { id: string; sessionId: string }[] = [];
    for (let i = 0; i < count; i++) {
      const { id, token } = await newOrder(a);
      const session = (await checkout(a, id, token)).data!.createCheckoutSession;
      expect((await payOnHostedPage(session.url)).status).toBe(303);
      paid.push({ id, sessionId: session.sessionId });
    }
    const events = await sandboxEvents(a);
    return paid.map((p) => ({
      id: p.id,
      payloads: events.filter((e) => e.body.data.object.id === p.sessionId || e.body.data.object.metadata?.orderId === p.id).map((e) => JSON.stringify(e.body)),
    }));
  }

  it('every event, delivered to both instances at once, is stored once and applied once', async () => {
    const orders = await paidCheckouts(20);
    const deliveries = orders.flatMap((o) => o.payloads).flatMap((payload) => [a, b].map((to) => postWebhook(to, payload, { 'stripe-signature': sign(stripe, payload) })));
    const answers = await Promise.all(deliveries);
    expect(answers.map((r) => r.status).every((s) => s === 200)).toBe(true);
    await webhooksSettled(a);
    await webhooksSettled(b);
    for (const o of orders) {
      const order = await orderOf(a, o.id);
      expect({ id: o.id, status: order.status, paid: paidTransitions(order) }).toEqual({ id: o.id, status: 'PAID', paid: 1 });
    }
    const eventIds = orders.flatMap((o) => o.payloads.map((p) => JSON.parse(p).id as string));
    const stored = await execute<{ event_id: string; status: string; attempts: number }>(`select event_id, status, attempts from webhook_events where event_id in (${eventIds.map(() => '?').join(',')})`, eventIds);
    expect(stored).toHaveLength(eventIds.length);
    for (const row of stored) expect(['APPLIED', 'IGNORED']).toContain(row.status);
  }, 60_000);

  it('a claim held by an instance that died expires, and another instance applies the event', async () => {
    const [order] = await paidCheckouts(1);
    const completed = order.payloads.map((p) => JSON.parse(p)).find((e) => e.type === 'checkout.session.completed');
    // As a crashed instance leaves it: stored, claimed, never applied.
    await execute(
      `insert into webhook_events (id, provider, event_id, type, payload, status, outcome, received_at, claimed_by, claimed_until)
       values (?, 'STRIPE', ?, ?, ?, 'RECEIVED', 'RECEIVED', now(), 'dead-instance', now() + interval '1 second')`,
      [randomUUID(), completed.id, completed.type, JSON.stringify(completed)],
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await orderOf(a, order.id)).status).toBe('PENDING');
    const paid = await waitForStatus(a, order.id, 'PAID', 10_000);
    expect(paidTransitions(paid)).toBe(1);
    expect(await execute(`select status, claimed_by from webhook_events where event_id = ?`, [completed.id])).toEqual([{ status: 'APPLIED', claimed_by: null }]);
  });
});
