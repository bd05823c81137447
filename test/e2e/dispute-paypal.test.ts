import { SANDBOX_DEFAULTS } from '../../src/sandbox/core/sandbox.defaults';
import { collect, eventually, gql, wsClient, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { paypal as sdk } from '../sandbox/paypal.helpers';
import {
  REFUND, buyer, coreControl, getOrder, orderWithPayPal, paidOrder, paypalControl, postWebhook, sandboxEvents, sandboxSignature, startPayPalService,
} from './paypal.kit';

const SUBSCRIPTION = `subscription($orderId: ID!) { orderStatusChanged(orderId: $orderId) { status previousStatus source order { status disputes { providerDisputeId status reason amount currency } } } }`;
const DISPUTES = `query($id: ID!) { order(id: $id) { status amountRefunded disputes { providerDisputeId status amount currency } } }`;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('PayPal disputes end to end (service + sandbox, official SDK)', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startPayPalService();
  });

  afterEach(async () => {
    await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: false });
    await coreControl(ts, 'POST', '/webhooks/release', { provider: 'paypal' });
    await webhooksSettled(ts);
  });

  afterAll(async () => {
    await ts.close();
  });

  const disputesOf = async (id: string) => (await gql(ts.graphqlUrl, DISPUTES, { id }, ts.adminKey)).data!.order;

  /** A captured (PAID) PayPal order, and a graphql-ws subscriber on it. */
  async function paidWithSubscriber() {
    const order = await paidOrder(ts);
    const client = wsClient(ts.wsUrl, order.token);
    const sub = collect<{ orderStatusChanged: Record<string, any> }>(client, SUBSCRIPTION, { orderId: order.id });
    await eventually(async () => ts.service.services.pubSub.subscriberCount(order.id) === 1, 'the subscription to listen');
    const captureId: string = order.captured.payments[0].providerChargeId;
    return { ...order, captureId, sub, close: async () => { sub.stop(); await client.dispose(); } };
  }

  const openDispute = async (captureId: string): Promise<string> => (await paypalControl(ts, 'POST', '/disputes', { capture_id: captureId })).dispute_id;

  it('CUSTOMER.DISPUTE.CREATED → DISPUTED; RESOLVED in the seller’s favour → back to PAID, seen by a subscriber', async () => {
    const paid = await paidWithSubscriber();
    try {
      const disputeId = await openDispute(paid.captureId);
      await paid.sub.waitFor((r) => r.data?.orderStatusChanged.status === 'DISPUTED');
      await paypalControl(ts, 'POST', `/disputes/${disputeId}/resolve`, { outcome: 'RESOLVED_SELLER_FAVOUR' });
      const back = await paid.sub.waitFor((r) => r.data?.orderStatusChanged.previousStatus === 'DISPUTED');
      expect(back.data!.orderStatusChanged).toMatchObject({
        status: 'PAID', source: expect.stringMatching(/^paypal:WH-/),
        order: { status: 'PAID', disputes: [{ providerDisputeId: disputeId, status: 'WON', reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED', amount: 5000, currency: 'USD' }] },
      });
    } finally {
      await paid.close();
    }
  });

  it('a partial refund, then a dispute won → back to PARTIALLY_REFUNDED', async () => {
    const paid = await paidWithSubscriber();
    try {
      expect((await gql(ts.graphqlUrl, REFUND, { input: { orderId: paid.id, amount: 1500 } }, ts.adminKey)).data!.refundOrder.status).toBe('SUCCEEDED');
      const disputeId = await openDispute(paid.captureId);
      await paid.sub.waitFor((r) => r.data?.orderStatusChanged.status === 'DISPUTED');
      await paypalControl(ts, 'POST', `/disputes/${disputeId}/resolve`, { outcome: 'RESOLVED_SELLER_FAVOUR' });
      const back = await paid.sub.waitFor((r) => r.data?.orderStatusChanged.previousStatus === 'DISPUTED');
      expect(back.data!.orderStatusChanged.status).toBe('PARTIALLY_REFUNDED');
      expect(await disputesOf(paid.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', amountRefunded: 1500, disputes: [{ status: 'WON', amount: 3500 }] });
    } finally {
      await paid.close();
    }
  });

  it('RESOLVED in the buyer’s favour → stays DISPUTED with the dispute LOST, announced DISPUTED → DISPUTED', async () => {
    const paid = await paidWithSubscriber();
    try {
      const disputeId = await openDispute(paid.captureId);
      await paid.sub.waitFor((r) => r.data?.orderStatusChanged.status === 'DISPUTED');
      await paypalControl(ts, 'POST', `/disputes/${disputeId}/resolve`, { outcome: 'RESOLVED_BUYER_FAVOUR' });
      const lost = await paid.sub.waitFor((r) => r.data?.orderStatusChanged.previousStatus === 'DISPUTED');
      expect(lost.data!.orderStatusChanged).toMatchObject({ status: 'DISPUTED', order: { status: 'DISPUTED', disputes: [{ providerDisputeId: disputeId, status: 'LOST' }] } });
      expect(await disputesOf(paid.id)).toMatchObject({ status: 'DISPUTED', amountRefunded: 0 });
    } finally {
      await paid.close();
    }
  });

  it('a refund attempted while DISPUTED behaves as before: PayPal refunds, the order becomes REFUNDED', async () => {
    const paid = await paidWithSubscriber();
    try {
      await openDispute(paid.captureId);
      await paid.sub.waitFor((r) => r.data?.orderStatusChanged.status === 'DISPUTED');
      expect((await gql(ts.graphqlUrl, REFUND, { input: { orderId: paid.id } }, ts.adminKey)).data!.refundOrder.status).toBe('SUCCEEDED');
      expect(await disputesOf(paid.id)).toMatchObject({ status: 'REFUNDED', amountRefunded: 5000, disputes: [{ status: 'OPEN' }] });
    } finally {
      await paid.close();
    }
  });

  it('every delivery order of (capture completed, dispute created, dispute resolved) converges, for either outcome', async () => {
    const base = ts.service.sandbox!.url;
    const merchant = new sdk.core.PayPalHttpClient(new sdk.core.PayPalEnvironment(SANDBOX_DEFAULTS.paypalClientId, SANDBOX_DEFAULTS.paypalClientSecret, base, base));
    const types = ['PAYMENT.CAPTURE.COMPLETED', 'CUSTOMER.DISPUTE.CREATED', 'CUSTOMER.DISPUTE.RESOLVED'];
    for (const [outcome, expected] of [['RESOLVED_SELLER_FAVOUR', { status: 'PAID', dispute: 'WON' }], ['RESOLVED_BUYER_FAVOUR', { status: 'DISPUTED', dispute: 'LOST' }]] as const) {
      for (const permutation of permutations([0, 1, 2])) {
        // The merchant captures outside our service and PayPal's webhooks are held: only the events tell us.
        const order = await orderWithPayPal(ts);
        const seen = (await sandboxEvents(ts)).length;
        await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: true });
        await buyer(order.paypal.approveUrl, 'approve');
        const captured = await merchant.execute<any>(new sdk.orders.OrdersCaptureRequest(order.paypal.paypalOrderId).requestBody({}));
        const disputeId = await openDispute(captured.result.purchase_units[0].payments.captures[0].id);
        await paypalControl(ts, 'POST', `/disputes/${disputeId}/resolve`, { outcome });
        const events = (await sandboxEvents(ts)).slice(seen);
        for (const index of permutation) {
          const event = events.find((e) => e.eventType === types[index])!;
          const res = await postWebhook(ts, event.body, await sandboxSignature(ts, event.body));
          expect(res.status).toBe(200);
        }
        // Deliveries are acknowledged when stored; the inbox worker applies them just after.
        await webhooksSettled(ts);
        const after = await getOrder(ts, order.id);
        expect({ permutation, outcome, final: await disputesOf(order.id) }).toEqual({
          permutation, outcome, final: { status: expected.status, amountRefunded: 0, disputes: [{ providerDisputeId: disputeId, status: expected.dispute, amount: 5000, currency: 'USD' }] },
        });
        const moves = after.events.filter((e: any) => e.type === 'STATUS_CHANGED').map((e: any) => e.toStatus);
        // PENDING from createPayPalOrder, then forward only; a won dispute may have been known before the payment (no DISPUTED at all).
        expect(moves[0]).toBe('PENDING');
        expect(moves.at(-1)).toBe(expected.status);
        expect(after.events.filter((e: any) => e.type === 'NEEDS_ATTENTION')).toEqual([]);
        await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: false });
        await coreControl(ts, 'POST', '/webhooks/release', { provider: 'paypal' });
        await webhooksSettled(ts);
        // The sandbox's own deliveries, in its order, are duplicates now: nothing changes.
        expect(await disputesOf(order.id)).toMatchObject({ status: expected.status });
      }
    }
  }, 60000);
});
