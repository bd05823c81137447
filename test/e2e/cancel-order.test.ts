import { postForm } from '../helpers/sandbox.helpers';
import { errorCode, eventually, gql, type TestService } from '../helpers/service.helpers';
import { buyer, capture, coreControl, CREATE, CANCEL_URL as PAYPAL_CANCEL, getOrder, RETURN_URL, startPayPalService, stats } from './paypal.kit';
import { charge, checkout, holdWebhooks, newOrder, payOnHostedPage, releaseHeldWebhooks, sandboxEvents, sandboxStripe, waitForStatus } from './stripe.e2e-helpers';

const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status payments { provider status } } }`;

/**
 * cancelOrder closes every open attempt at its provider before the order is CANCELED, so nothing
 * that was handed to the customer can still take money; an attempt that already moved money makes
 * it CONFLICT, saying why (issue 9, item 3).
 */
describe('cancelOrder closes every open payment attempt first', () => {
  let ts: TestService;
  beforeAll(async () => {
    ts = await startPayPalService();
  });
  afterAll(async () => ts.close());

  const cancel = (id: string, token: string) => gql<{ cancelOrder: { status: string } }>(ts.graphqlUrl, CANCEL, { id }, token);

  async function stripeCharges(orderId: string): Promise<number> {
    await ts.service.sandbox!.idle();
    return (await sandboxEvents(ts)).filter((e) => e.eventType === 'payment_intent.succeeded' && e.body.data.object.metadata?.orderId === orderId).length;
  }

  it('the old Checkout Session is expired at Stripe: paying it afterwards is refused and charges nothing', async () => {
    const order = await newOrder(ts);
    const { sessionId, url } = (await checkout(ts, order.id, order.token)).data!.createCheckoutSession;
    const res = await cancel(order.id, order.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.cancelOrder.status).toBe('CANCELED');
    expect((await sandboxStripe(ts).checkout.sessions.retrieve(sessionId)).status).toBe('expired');
    expect((await payOnHostedPage(url)).status).not.toBe(303);
    expect(await stripeCharges(order.id)).toBe(0);
    expect((await getOrder(ts, order.id)).status).toBe('CANCELED');
  });

  it('the PaymentIntent awaiting 3-D Secure is canceled at Stripe: completing it afterwards is refused', async () => {
    const order = await newOrder(ts);
    const threeDs = (await charge(ts, order.id, order.token, 'tok_threeDSecure2Required')).data!.chargeWithToken;
    expect((await cancel(order.id, order.token)).data!.cancelOrder.status).toBe('CANCELED');
    expect((await sandboxStripe(ts).paymentIntents.retrieve(threeDs.order.payments[0].providerPaymentId)).status).toBe('canceled');
    expect((await postForm(threeDs.nextActionUrl, { action: 'complete' })).status).toBe(409);
    expect(await stripeCharges(order.id)).toBe(0);
    expect((await getOrder(ts, order.id)).status).toBe('CANCELED');
  });

  it('an approved PayPal order can no longer be captured', async () => {
    const order = await newOrder(ts);
    const created = (await gql(ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: PAYPAL_CANCEL } }, order.token)).data!.createPayPalOrder;
    await buyer(created.approveUrl, 'approve');
    const before = (await stats(ts)).captures;
    const res = await cancel(order.id, order.token);
    expect(res.data!.cancelOrder).toMatchObject({ status: 'CANCELED', payments: [{ provider: 'PAYPAL', status: 'CANCELED' }] });
    const late = await capture(ts, order.id, order.token);
    expect(errorCode(late)).toBe('CONFLICT');
    expect(late.errors![0].message).toMatch(/no longer payable/);
    expect((await stats(ts)).captures).toBe(before);
  });

  it('a session already paid (its webhook not yet here) makes cancel CONFLICT saying so; the order is PAID', async () => {
    const order = await newOrder(ts);
    const { url } = (await checkout(ts, order.id, order.token)).data!.createCheckoutSession;
    await holdWebhooks(ts, true);
    try {
      expect((await payOnHostedPage(url)).status).toBe(303);
      const res = await cancel(order.id, order.token);
      expect(errorCode(res)).toBe('CONFLICT');
      expect(res.errors![0].message).toMatch(/already paid by STRIPE attempt|can no longer be canceled; refund it instead/);
      expect((await getOrder(ts, order.id)).status).toBe('PAID');
    } finally {
      await releaseHeldWebhooks(ts);
    }
    await waitForStatus(ts, order.id, 'PAID');
  });

  it('a PayPal capture in flight makes cancel CONFLICT; the capture then pays the order', async () => {
    const order = await newOrder(ts);
    const created = (await gql(ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: PAYPAL_CANCEL } }, order.token)).data!.createPayPalOrder;
    await buyer(created.approveUrl, 'approve');
    await coreControl(ts, 'POST', '/faults', { provider: 'paypal', kind: 'latency', ms: 1000, count: 1, match: `POST /v2/checkout/orders/${created.paypalOrderId}/capture` });
    const held = capture(ts, order.id, order.token);
    await new Promise((r) => setTimeout(r, 300));
    const res = await cancel(order.id, order.token);
    expect(errorCode(res)).toBe('CONFLICT');
    expect(res.errors![0].message).toMatch(/PayPal capture in progress/);
    expect((await held).data!.capturePayPalOrder.status).toBe('PAID');
  });

  it('a Stripe payment that succeeds anyway on the canceled order (made outside the service) is recorded and refunded automatically', async () => {
    const order = await newOrder(ts);
    const threeDs = (await charge(ts, order.id, order.token, 'tok_threeDSecure2Required')).data!.chargeWithToken;
    expect((await cancel(order.id, order.token)).data!.cancelOrder.status).toBe('CANCELED');
    const attemptId = threeDs.order.payments[0].id as string;
    // A stray PaymentIntent carrying our ids, as if a second integration charged the customer.
    const stray = await sandboxStripe(ts).paymentIntents.create({
      amount: 5000, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', metadata: { orderId: order.id, paymentId: attemptId }, return_url: RETURN_URL,
    });
    expect(stray.status).toBe('succeeded');
    // The inbox worker applies the stray payment's webhook, then refunds it once that commits.
    const view = await eventually(async () => {
      const current = await getOrder(ts, order.id);
      return current.refunds[0]?.status === 'SUCCEEDED' && current;
    }, 'the stray payment to be refunded automatically');
    expect(view.status).toBe('CANCELED');
    expect(view.payments[0]).toMatchObject({ status: 'SUCCEEDED', autoRefundReason: expect.stringMatching(/had been canceled/) });
    expect(view.refunds).toEqual([expect.objectContaining({ amount: 5000, status: 'SUCCEEDED' })]);
    expect(view.events.map((e: { type: string }) => e.type)).toContain('LATE_PAYMENT_REFUNDED');
    expect((await sandboxStripe(ts).charges.retrieve(String(stray.latest_charge))).amount_refunded).toBe(5000);
  });
});
