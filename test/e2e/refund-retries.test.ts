import { errorCode, type TestService } from '../helpers/service.helpers';
import { coreControl, getOrder, paidOrder as paidPayPalOrder, paypalControl, startPayPalService, stats, webhooksSettled } from './paypal.kit';
import { charge, newOrder, refund, sandboxStripe } from './stripe.e2e-helpers';

/**
 * A partial refund whose answer is lost (the sandbox makes the refund, then withholds every answer,
 * so the SDKs' own retries time out too) is retried by the admin with the same request: it must
 * finish the first refund, never make a second one (issue 9, item 7).
 */
describe('retrying a refund whose outcome was unknown', () => {
  let ts: TestService;
  beforeAll(async () => {
    ts = await startPayPalService();
  });
  afterAll(async () => ts.close());
  afterEach(async () => {
    await coreControl(ts, 'DELETE', '/faults');
  });

  it('Stripe: refundOrder(625) times out, the error says to send it again; the retry makes no second refund', async () => {
    const { id, token } = await newOrder(ts);
    const paid = await charge(ts, id, token, 'tok_visa');
    const chargeId = paid.data!.chargeWithToken.chargeId as string;
    await coreControl(ts, 'POST', '/faults', { provider: 'stripe', kind: 'timeout', ms: 20, count: 10, match: 'POST /v1/refunds' });

    const lost = await refund(ts, id, 625);
    expect(errorCode(lost)).toBe('PROVIDER_ERROR');
    expect(lost.errors![0].message).toMatch(/may or may not have been made.*Send the same refundOrder request again.*cannot refund twice/);
    await coreControl(ts, 'DELETE', '/faults');

    const retried = await refund(ts, id, 625);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.refundOrder).toMatchObject({ amount: 625, status: 'SUCCEEDED' });
    await ts.service.sandbox!.idle();
    const atStripe = await sandboxStripe(ts).charges.retrieve(chargeId, { expand: ['refunds'] });
    expect(atStripe.refunds!.data.map((r) => r.amount)).toEqual([625]);
    const order = await getOrder(ts, id);
    expect(order).toMatchObject({ status: 'PARTIALLY_REFUNDED', amountRefunded: 625 });
    expect(order.refunds).toHaveLength(1);

    // A further refund of the same amount is a new request: it is made.
    expect((await refund(ts, id, 625)).data!.refundOrder.status).toBe('SUCCEEDED');
    expect((await sandboxStripe(ts).charges.retrieve(chargeId)).amount_refunded).toBe(1250);
  });

  it('PayPal: refundOrder(625) times out, the retry makes no second refund at PayPal', async () => {
    const order = await paidPayPalOrder(ts);
    const captureId = order.captured.payments[0].providerChargeId as string;
    const before = await stats(ts);
    await coreControl(ts, 'POST', '/faults', { provider: 'paypal', kind: 'timeout', ms: 20, count: 10, match: 'POST /v2/payments/captures/*/refund' });

    const lost = await refund(ts, order.id, 625);
    expect(errorCode(lost)).toBe('PROVIDER_ERROR');
    expect(lost.errors![0].message).toMatch(/Send the same refundOrder request again/);
    await coreControl(ts, 'DELETE', '/faults');

    const retried = await refund(ts, order.id, 625);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.refundOrder).toMatchObject({ amount: 625, status: 'SUCCEEDED' });
    await webhooksSettled(ts);
    const after = await getOrder(ts, order.id);
    expect(after).toMatchObject({ status: 'PARTIALLY_REFUNDED', amountRefunded: 625 });
    expect(after.refunds).toHaveLength(1);
    expect((await stats(ts)).refunds - before.refunds).toBe(1);
    const capture = await paypalControl(ts, 'GET', `/captures/${captureId}`);
    expect(capture.status).toBe('PARTIALLY_REFUNDED');
  });
});
