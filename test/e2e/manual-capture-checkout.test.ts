import type Stripe from 'stripe';
import { errorCode, gql, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { CANCEL_URL, newOrder, payOnHostedPage, sandboxStripe, SUCCESS_URL, waitForStatus } from './stripe.e2e-helpers';

/** Stripe Checkout with captureMethod MANUAL: the hosted page authorizes, an admin captures or voids. */
const CHECKOUT = `mutation($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId url order { status } } }`;
const CAPTURE = `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { status amount amountCaptured } }`;
const VOID = `mutation($orderId: ID!) { voidPayment(orderId: $orderId) { status amountCaptured } }`;

describe('manual capture through Stripe Checkout', () => {
  let ts: TestService;
  let stripe: Stripe;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on' });
    stripe = sandboxStripe(ts);
  });

  afterAll(async () => {
    await ts.close();
  });

  /** An order (5000 minor units) whose hosted-page card payment only authorized. */
  async function authorizedOnCheckout() {
    const { id, token } = await newOrder(ts);
    const res = await gql(ts.graphqlUrl, CHECKOUT, { input: { orderId: id, successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL, captureMethod: 'MANUAL' } }, token);
    expect(res.errors).toBeUndefined();
    const { sessionId, url } = res.data!.createCheckoutSession;
    expect((await payOnHostedPage(url)).status).toBe(303);
    const session = await stripe.checkout.sessions.retrieve(sessionId);
    // Completed, but no money moved: an authorization leaves the session unpaid.
    expect(session).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    const pi = await stripe.paymentIntents.retrieve(String(session.payment_intent));
    expect(pi).toMatchObject({ status: 'requires_capture', capture_method: 'manual', amount_capturable: 5000 });
    const order = await waitForStatus(ts, id, 'AUTHORIZED');
    expect(order.payments[0]).toMatchObject({ method: 'STRIPE_CHECKOUT', status: 'AUTHORIZED' });
    return { id, token, pi: pi.id };
  }

  it('the hosted page authorizes → AUTHORIZED; a partial capture → PAID with amountCaptured 3000 of 5000', async () => {
    const { id, pi } = await authorizedOnCheckout();
    const res = await gql(ts.graphqlUrl, CAPTURE, { input: { orderId: id, amount: 3000 } }, ts.adminKey);
    expect(res.errors).toBeUndefined();
    expect(res.data!.capturePayment).toMatchObject({ status: 'PAID', amount: 5000, amountCaptured: 3000 });
    expect(await stripe.paymentIntents.retrieve(pi)).toMatchObject({ status: 'succeeded', amount_received: 3000 });
    await webhooksSettled(ts);
    expect((await waitForStatus(ts, id, 'PAID')).status).toBe('PAID');
  });

  it('void → CANCELED, the PaymentIntent canceled with nothing received; a capture afterwards is CONFLICT', async () => {
    const { id, pi } = await authorizedOnCheckout();
    const res = await gql(ts.graphqlUrl, VOID, { orderId: id }, ts.adminKey);
    expect(res.errors).toBeUndefined();
    expect(res.data!.voidPayment).toMatchObject({ status: 'CANCELED', amountCaptured: 0 });
    expect(await stripe.paymentIntents.retrieve(pi)).toMatchObject({ status: 'canceled', amount_received: 0 });
    await webhooksSettled(ts);
    expect((await waitForStatus(ts, id, 'CANCELED')).status).toBe('CANCELED');
    expect(errorCode(await gql(ts.graphqlUrl, CAPTURE, { input: { orderId: id } }, ts.adminKey))).toBe('CONFLICT');
  });
});
