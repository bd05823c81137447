/**
 * The provider status sync against the sandbox's PayPal: a capture whose answer timed out and
 * whose webhook was held becomes PAID from PayPal's own Orders v2 GET, by the schedule and by
 * the admin's `reconcileOrder`.
 */
import { gql, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { buyer, capture, coreControl, getOrder, orderWithPayPal, paidOrder, paypalControl } from './paypal.kit';
import { startSyncedService, transitionsTo } from './reconciliation.kit';

const RECONCILE = `mutation($id: ID!) { reconcileOrder(orderId: $id) { id status events { type toStatus source } } }`;

/** An approved PayPal order whose capture is carried out by PayPal but whose every answer (and webhook) is lost. */
async function captureWithAnswerLost(ts: TestService, { syncOn }: { syncOn: boolean }) {
  await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: true });
  const order = await orderWithPayPal(ts);
  await buyer(order.paypal.approveUrl, 'approve');
  await coreControl(ts, 'POST', '/faults', { provider: 'paypal', match: 'POST /v2/checkout/orders/*/capture', kind: 'timeout', count: 3 });
  const res = await capture(ts, order.id, order.token);
  expect(res.errors?.[0]?.extensions?.code).toBe('PROVIDER_ERROR');
  // With the schedule on, a round may already have asked PayPal while the capture was being retried.
  if (!syncOn) expect((await getOrder(ts, order.id)).status).toBe('PENDING');
  return order;
}

async function releaseWebhooks(ts: TestService): Promise<void> {
  await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: false });
  await coreControl(ts, 'POST', '/webhooks/release', { provider: 'paypal' });
  await webhooksSettled(ts);
}

describe('reconciliation with PayPal, on schedule', () => {
  let ts: TestService;
  beforeAll(async () => {
    ({ ts } = await startSyncedService({ SANDBOX: 'auto' }));
  });
  afterAll(async () => {
    await ts?.close();
  });

  it('a capture whose answer timed out and whose webhook was dropped turns PAID from the sync, once; the late webhook changes nothing', async () => {
    const order = await captureWithAnswerLost(ts, { syncOn: true });
    let paid: Record<string, any> | undefined;
    for (let i = 0; i < 50 && paid?.status !== 'PAID'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      paid = await getOrder(ts, order.id);
    }
    expect(paid!.status).toBe('PAID');
    const moves = transitionsTo(paid as any, 'PAID');
    expect(moves).toHaveLength(1);
    expect(moves[0].source).toBe(`reconcile:${order.paypal.paypalOrderId}`);
    await releaseWebhooks(ts);
    expect(transitionsTo((await getOrder(ts, order.id)) as any, 'PAID')).toHaveLength(1);
  });

  it('money taken back at PayPal (a capture reversal) with its webhook dropped is imported from the order\'s refunds: REFUNDED', async () => {
    const order = await paidOrder(ts);
    await webhooksSettled(ts);
    await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: true });
    const captureId = order.captured.payments[0].providerChargeId;
    const reversal = await paypalControl(ts, 'POST', `/captures/${captureId}/reverse`);
    let after: Record<string, any> | undefined;
    for (let i = 0; i < 50 && after?.status !== 'REFUNDED'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await getOrder(ts, order.id);
    }
    expect(after).toMatchObject({ status: 'REFUNDED', amountRefunded: order.captured.amount });
    expect(after!.refunds).toEqual([expect.objectContaining({ status: 'SUCCEEDED', providerRefundId: reversal.id, reason: 'made at the provider' })]);
    expect(transitionsTo(after as any, 'REFUNDED')[0].source).toBe(`reconcile:${reversal.id}`);
    await releaseWebhooks(ts);
  });
});

describe('reconcileOrder (the sync on demand)', () => {
  let ts: TestService;
  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'auto' });
  });
  afterAll(async () => {
    await ts?.close();
  });

  it('asks PayPal now and returns the order PAID; only the admin may', async () => {
    const order = await captureWithAnswerLost(ts, { syncOn: false });
    const denied = await gql(ts.graphqlUrl, RECONCILE, { id: order.id }, order.token);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const res = await gql(ts.graphqlUrl, RECONCILE, { id: order.id }, ts.adminKey);
    expect(res.data?.reconcileOrder.status).toBe('PAID');
    expect(transitionsTo(res.data!.reconcileOrder, 'PAID')[0].source).toBe(`reconcile:${order.paypal.paypalOrderId}`);
    const again = await gql(ts.graphqlUrl, RECONCILE, { id: order.id }, ts.adminKey);
    expect(transitionsTo(again.data!.reconcileOrder, 'PAID')).toHaveLength(1);
    await releaseWebhooks(ts);
  });

  it('an unknown order is NOT_FOUND', async () => {
    const res = await gql(ts.graphqlUrl, RECONCILE, { id: 'no-such-order' }, ts.adminKey);
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
