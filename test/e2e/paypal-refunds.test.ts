import { errorCode, eventually, gql, type TestService } from '../helpers/service.helpers';
import { SANDBOX_DEFAULTS } from '../../src/sandbox/core/sandbox.defaults';
import { paypal as sdk } from '../sandbox/paypal.helpers';
import { REFUND, coreControl, getOrder, paidOrder, paypalControl, startPayPalService, stats, webhooksSettled } from './paypal.kit';

interface RefundView { id: string; amount: number; currency: string; status: string; providerRefundId: string | null }

function refund(ts: TestService, orderId: string, amount?: number) {
  return gql<{ refundOrder: RefundView }>(ts.graphqlUrl, REFUND, { input: { orderId, amount, reason: 'customer request' } }, ts.adminKey);
}

describe('PayPal refunds through refundOrder', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startPayPalService();
  });

  afterAll(async () => {
    await ts.close();
  });

  it('partial refunds, then the rest → REFUNDED, each against the capture, webhooks matched to our refunds', async () => {
    const order = await paidOrder(ts);
    const captureId = order.captured.payments[0].providerChargeId;
    const first = await refund(ts, order.id, 1000);
    expect(first.errors).toBeUndefined();
    expect(first.data!.refundOrder).toMatchObject({ amount: 1000, currency: 'USD', status: 'SUCCEEDED' });
    expect((await getOrder(ts, order.id))).toMatchObject({ status: 'PARTIALLY_REFUNDED', amountRefunded: 1000 });
    const second = await refund(ts, order.id, 1500);
    expect(second.data!.refundOrder.status).toBe('SUCCEEDED');
    const rest = await refund(ts, order.id);
    expect(rest.data!.refundOrder).toMatchObject({ amount: 2500, status: 'SUCCEEDED' });

    await webhooksSettled(ts);
    const after = await getOrder(ts, order.id);
    expect(after).toMatchObject({ status: 'REFUNDED', amountRefunded: 5000 });
    // The PAYMENT.CAPTURE.REFUNDED webhooks matched our refunds (custom_id): no duplicates "made at the provider".
    expect(after.refunds).toHaveLength(3);
    expect(after.refunds.map((r: any) => r.providerRefundId).sort()).toEqual([first, second, rest].map((r) => r.data!.refundOrder.providerRefundId).sort());

    const paypalRefund = await paypalControl(ts, 'GET', `/refunds/${first.data!.refundOrder.providerRefundId}`);
    expect(paypalRefund).toMatchObject({ amount: { currency_code: 'USD', value: '10.00' }, custom_id: `refund-${first.data!.refundOrder.id}` });
    expect(paypalRefund.links.find((l: any) => l.rel === 'up').href).toMatch(new RegExp(`/v2/payments/captures/${captureId}$`));
    const capture = await paypalControl(ts, 'GET', `/captures/${captureId}`);
    expect(capture.status).toBe('REFUNDED');
  });

  it('a timeout on the refund call: the retry with the same PayPal-Request-Id refunds once', async () => {
    const order = await paidOrder(ts);
    const before = await stats(ts);
    await coreControl(ts, 'POST', '/faults', { provider: 'paypal', kind: 'timeout', count: 1, ms: 50, match: 'POST /v2/payments/captures/*/refund' });
    const res = await refund(ts, order.id, 2000);
    expect(res.data!.refundOrder).toMatchObject({ amount: 2000, status: 'SUCCEEDED' });
    expect((await stats(ts)).refunds - before.refunds).toBe(1);
    await webhooksSettled(ts);
    expect(await getOrder(ts, order.id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', amountRefunded: 2000 });
  });

  it('a refund over what is left is CONFLICT and never reaches PayPal', async () => {
    const order = await paidOrder(ts);
    await refund(ts, order.id, 4000);
    const before = await stats(ts);
    const over = await refund(ts, order.id, 1001);
    expect(errorCode(over)).toBe('CONFLICT');
    expect(over.errors![0].message).toMatch(/exceeds the \$10\.00 left/);
    expect((await stats(ts)).refunds).toBe(before.refunds);
    const after = await getOrder(ts, order.id);
    expect(after).toMatchObject({ status: 'PARTIALLY_REFUNDED', amountRefunded: 4000 });
    expect(after.refunds).toHaveLength(1);
  });

  it('concurrent refunds never exceed the capture, at PayPal or here', async () => {
    const order = await paidOrder(ts);
    const captureId = order.captured.payments[0].providerChargeId;
    const before = await stats(ts);
    const results = await Promise.all(Array.from({ length: 8 }, () => refund(ts, order.id, 1500)));
    const ok = results.filter((r) => r.data?.refundOrder?.status === 'SUCCEEDED');
    for (const r of results) if (!r.data?.refundOrder) expect(errorCode(r)).toBe('CONFLICT');
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(ok.length).toBeLessThanOrEqual(3);
    await webhooksSettled(ts);
    const after = await getOrder(ts, order.id);
    const succeeded = after.refunds.filter((r: any) => r.status === 'SUCCEEDED');
    expect(succeeded).toHaveLength(ok.length);
    expect(after.amountRefunded).toBe(1500 * ok.length);
    expect(after.amountRefunded).toBeLessThanOrEqual(5000);
    const capture = await paypalControl(ts, 'GET', `/captures/${captureId}`);
    expect(capture.status).toBe('PARTIALLY_REFUNDED');
    expect((await stats(ts)).refunds - before.refunds).toBe(ok.length);
  });

  it('a reversal made at PayPal (PAYMENT.CAPTURE.REVERSED) → REFUNDED, recorded as a refund made at the provider', async () => {
    const order = await paidOrder(ts);
    const captureId = order.captured.payments[0].providerChargeId;
    // Refund the capture outside our service (e.g. in PayPal's dashboard): PayPal now has less left than we think.
    await paypalControl(ts, 'POST', `/captures/${captureId}/reverse`);
    await webhooksSettled(ts);
    const reversed = await getOrder(ts, order.id);
    expect(reversed).toMatchObject({ status: 'REFUNDED', amountRefunded: 5000 });
    expect(reversed.refunds).toEqual([expect.objectContaining({ amount: 5000, status: 'SUCCEEDED', reason: 'made at the provider' })]);
  });

  it('REFUND_AMOUNT_EXCEEDED from PayPal → PROVIDER_ERROR with providerCode, the refund FAILED and its amount freed', async () => {
    const order = await paidOrder(ts);
    const captureId = order.captured.payments[0].providerChargeId;
    // Someone refunds 40.00 in PayPal's dashboard and we have not heard of it yet (webhooks held).
    await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: true });
    try {
      const env = new sdk.core.PayPalEnvironment(SANDBOX_DEFAULTS.paypalClientId, SANDBOX_DEFAULTS.paypalClientSecret, ts.service.sandbox!.url, ts.service.sandbox!.url);
      await new sdk.core.PayPalHttpClient(env).execute(new sdk.payments.CapturesRefundRequest(captureId).requestBody({ amount: { currency_code: 'USD', value: '40.00' } }));
      const res = await refund(ts, order.id, 2000);
      expect(res.errors![0].extensions).toMatchObject({ code: 'PROVIDER_ERROR', provider: 'PAYPAL', providerCode: 'REFUND_AMOUNT_EXCEEDED' });
      const after = await getOrder(ts, order.id);
      expect(after.refunds).toEqual([expect.objectContaining({ amount: 2000, status: 'FAILED' })]);
      expect(after).toMatchObject({ status: 'PAID', amountRefunded: 0 });
      // The failed refund reserved nothing: what PayPal still has (10.00) can be refunded.
      expect((await refund(ts, order.id, 1000)).data!.refundOrder.status).toBe('SUCCEEDED');
    } finally {
      await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: false });
      await coreControl(ts, 'POST', '/webhooks/release', { provider: 'paypal' });
    }
    await eventually(async () => (await getOrder(ts, order.id)).status === 'REFUNDED', 'the dashboard refund, learnt from its webhook');
  });

  it('CUSTOMER.DISPUTE.CREATED → DISPUTED; a refund of the rest → REFUNDED', async () => {
    const order = await paidOrder(ts);
    const captureId = order.captured.payments[0].providerChargeId;
    await paypalControl(ts, 'POST', '/disputes', { capture_id: captureId });
    await eventually(async () => (await getOrder(ts, order.id)).status === 'DISPUTED', 'DISPUTED from the webhook');
    const res = await refund(ts, order.id);
    expect(res.data!.refundOrder.status).toBe('SUCCEEDED');
    expect((await getOrder(ts, order.id)).status).toBe('REFUNDED');
  });
});
