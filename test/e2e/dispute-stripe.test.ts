import { postForm } from '../helpers/sandbox.helpers';
import { collect, eventually, gql, startTestService, wsClient, webhooksSettled, type TestService } from '../helpers/service.helpers';
import {
  charge, holdWebhooks, newOrder, orderOf, refund, releaseHeldWebhooks, sandboxEvents, waitForStatus,
} from './stripe.e2e-helpers';
import { control } from '../helpers/sandbox.helpers';

const SUBSCRIPTION = `subscription($orderId: ID!) { orderStatusChanged(orderId: $orderId) { status previousStatus source order { status disputes { providerDisputeId status reason amount currency } } } }`;
const DISPUTES = `query($id: ID!) { order(id: $id) { status amountRefunded disputes { providerDisputeId status reason amount currency } } }`;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('Stripe disputes end to end (service + sandbox, official SDK)', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on' });
  });

  afterEach(async () => {
    await releaseHeldWebhooks(ts);
    await webhooksSettled(ts);
  });

  afterAll(async () => {
    await ts.close();
  });

  const openDispute = async (chargeId: string) => {
    const res = await control<{ id: string }>(ts.service.sandbox!, 'POST', '/stripe/disputes', { charge: chargeId, reason: 'product_not_received' });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const closeDispute = async (disputeId: string, status: 'won' | 'lost') =>
    expect((await control(ts.service.sandbox!, 'POST', `/stripe/disputes/${disputeId}/close`, { status })).status).toBe(200);

  /** A card order paid at once, and a graphql-ws subscriber on it. */
  async function paidWithSubscriber() {
    const { id, token } = await newOrder(ts);
    const { chargeId } = (await charge(ts, id, token, 'tok_visa')).data!.chargeWithToken;
    const client = wsClient(ts.wsUrl, token);
    const sub = collect<{ orderStatusChanged: Record<string, any> }>(client, SUBSCRIPTION, { orderId: id });
    await eventually(async () => ts.service.services.pubSub.subscriberCount(id) === 1, 'the subscription to listen');
    return { id, token, chargeId: chargeId as string, sub, close: async () => { sub.stop(); await client.dispose(); } };
  }

  it('charge.dispute.created → DISPUTED; charge.dispute.closed (won) → back to PAID, seen by a subscriber', async () => {
    const paid = await paidWithSubscriber();
    try {
      const disputeId = await openDispute(paid.chargeId);
      await paid.sub.waitFor((r) => r.data?.orderStatusChanged.status === 'DISPUTED');
      await closeDispute(disputeId, 'won');
      const back = await paid.sub.waitFor((r) => r.data?.orderStatusChanged.status === 'PAID');
      expect(back.data!.orderStatusChanged).toMatchObject({
        previousStatus: 'DISPUTED', source: expect.stringMatching(/^stripe:evt_/),
        order: { status: 'PAID', disputes: [{ providerDisputeId: disputeId, status: 'WON', reason: 'product_not_received', amount: 5000, currency: 'USD' }] },
      });
      const order = await orderOf(ts, paid.id);
      expect(order.events.filter((e: any) => e.type === 'STATUS_CHANGED').map((e: any) => e.toStatus)).toEqual(['PENDING', 'PAID', 'DISPUTED', 'PAID']);
    } finally {
      await paid.close();
    }
  });

  it('a partial refund, then a won dispute → back to PARTIALLY_REFUNDED (what the refunds say)', async () => {
    const paid = await paidWithSubscriber();
    try {
      expect((await refund(ts, paid.id, 1000)).data!.refundOrder.status).toBe('SUCCEEDED');
      const disputeId = await openDispute(paid.chargeId);
      await waitForStatus(ts, paid.id, 'DISPUTED');
      await closeDispute(disputeId, 'won');
      const back = await paid.sub.waitFor((r) => r.data?.orderStatusChanged.previousStatus === 'DISPUTED');
      expect(back.data!.orderStatusChanged).toMatchObject({ status: 'PARTIALLY_REFUNDED', order: { status: 'PARTIALLY_REFUNDED', disputes: [{ status: 'WON' }] } });
      expect((await orderOf(ts, paid.id)).amountRefunded).toBe(1000);
    } finally {
      await paid.close();
    }
  });

  it('a lost dispute keeps the order DISPUTED with the outcome recorded, and subscribers hear of it (DISPUTED → DISPUTED)', async () => {
    const paid = await paidWithSubscriber();
    try {
      const disputeId = await openDispute(paid.chargeId);
      await paid.sub.waitFor((r) => r.data?.orderStatusChanged.status === 'DISPUTED');
      await closeDispute(disputeId, 'lost');
      const lost = await paid.sub.waitFor((r) => r.data?.orderStatusChanged.previousStatus === 'DISPUTED');
      expect(lost.data!.orderStatusChanged).toMatchObject({ status: 'DISPUTED', order: { status: 'DISPUTED', disputes: [{ providerDisputeId: disputeId, status: 'LOST' }] } });
      const order = await orderOf(ts, paid.id);
      expect(order).toMatchObject({ status: 'DISPUTED', amountRefunded: 0 });
      expect(order.events.at(-1)).toMatchObject({ type: 'STATUS_CHANGED', fromStatus: 'DISPUTED', toStatus: 'DISPUTED', message: `dispute ${disputeId} lost` });
    } finally {
      await paid.close();
    }
  });

  it('a refund attempted while DISPUTED behaves as before: Stripe refuses a charged-back charge, the order stays DISPUTED', async () => {
    const paid = await paidWithSubscriber();
    try {
      await openDispute(paid.chargeId);
      await waitForStatus(ts, paid.id, 'DISPUTED');
      const res = await refund(ts, paid.id);
      expect(res.errors![0].extensions).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'charge_disputed' });
      expect((await gql(ts.graphqlUrl, DISPUTES, { id: paid.id }, ts.adminKey)).data!.order).toMatchObject({ status: 'DISPUTED', amountRefunded: 0, disputes: [{ status: 'OPEN' }] });
    } finally {
      await paid.close();
    }
  });

  it('every delivery order of (payment succeeded, dispute created, dispute closed) converges, for a won and a lost dispute', async () => {
    const handled = ['payment_intent.succeeded', 'charge.dispute.created', 'charge.dispute.closed'];
    const flows: { id: string; outcome: 'won' | 'lost'; order: string[] }[] = [];
    await holdWebhooks(ts, true);
    for (const outcome of ['won', 'lost'] as const) {
      for (const permutation of permutations([0, 1, 2])) {
        const { id, token } = await newOrder(ts);
        // 3-D Secure: our attempt knows its PaymentIntent at once, and only the held webhook says it succeeded.
        const started = (await charge(ts, id, token, 'tok_threeDSecure2Required')).data!.chargeWithToken;
        expect((await postForm(started.nextActionUrl, { action: 'complete' })).status).toBe(303);
        const pi = started.clientSecret.split('_secret_')[0] as string;
        const dispute = await control<{ id: string }>(ts.service.sandbox!, 'POST', '/stripe/disputes', { payment_intent: pi });
        await closeDispute(dispute.body.id, outcome);
        const events = (await sandboxEvents(ts)).filter((e) => e.body.data.object.id === pi || e.body.data.object.id === dispute.body.id);
        const byType = new Map(events.map((e) => [e.eventType, e.eventId]));
        for (const type of handled) expect(byType.get(type)).toBeDefined();
        flows.push({ id, outcome, order: permutation.map((i) => byType.get(handled[i])!) });
      }
    }
    const released = await control<{ released: string[] }>(ts.service.sandbox!, 'POST', '/webhooks/release', { provider: 'stripe', order: flows.flatMap((f) => f.order) });
    expect(released.body.released.slice(0, flows.length * 3)).toEqual(flows.flatMap((f) => f.order));
    await webhooksSettled(ts);

    for (const flow of flows) {
      const order = (await gql(ts.graphqlUrl, DISPUTES, { id: flow.id }, ts.adminKey)).data!.order;
      const log = await orderOf(ts, flow.id);
      expect({ outcome: flow.outcome, order }).toEqual({
        outcome: flow.outcome,
        order: { status: flow.outcome === 'won' ? 'PAID' : 'DISPUTED', amountRefunded: 0, disputes: [expect.objectContaining({ status: flow.outcome === 'won' ? 'WON' : 'LOST', amount: 5000 })] },
      });
      // Never backwards, and never re-opened by a late "created": the won flows end PAID whatever came first.
      expect(log.events.filter((e: any) => e.type === 'NEEDS_ATTENTION')).toEqual([]);
      expect(log.payments.map((p: any) => p.status)).toEqual(['SUCCEEDED']);
    }
  }, 60000);
});
