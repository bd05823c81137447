import { errorCode, gql, type TestService } from '../helpers/service.helpers';
import { buyer, capture, CREATE, CANCEL_URL as PAYPAL_CANCEL, RETURN_URL, startPayPalService, stats } from './paypal.kit';
import { charge, checkout, newOrder, orderOf, payOnHostedPage, sandboxStripe, waitForStatus } from './stripe.e2e-helpers';

/**
 * One order, two providers: starting a payment with one provider must leave nothing payable at
 * the other, or a customer with two tabs open is charged twice.
 */
describe('switching provider on one order', () => {
  let ts: TestService;
  beforeAll(async () => {
    ts = await startPayPalService();
  });
  afterAll(async () => ts.close());

  it('PayPal after Stripe Checkout expires the open Checkout Session, so its hosted page can no longer take money', async () => {
    const order = await newOrder(ts);
    const session = await checkout(ts, order.id, order.token);
    const { sessionId, url } = session.data!.createCheckoutSession as { sessionId: string; url: string };

    const paypal = await gql(ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: PAYPAL_CANCEL } }, order.token);
    expect(paypal.errors).toBeUndefined();

    expect((await sandboxStripe(ts).checkout.sessions.retrieve(sessionId)).status).toBe('expired');
    const late = await payOnHostedPage(url);
    expect(late.status).not.toBe(303);
    const view = await orderOf(ts, order.id);
    expect(view.status).toBe('PENDING');
    expect(view.payments.map((p: { provider: string; status: string }) => `${p.provider}:${p.status}`)).toEqual(['STRIPE:EXPIRED', 'PAYPAL:OPEN']);
  });

  it('a card payment after a PayPal approval supersedes the PayPal order: capturing it later charges nothing', async () => {
    const order = await newOrder(ts);
    const created = await gql<{ createPayPalOrder: { approveUrl: string } }>(
      ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: PAYPAL_CANCEL } }, order.token,
    );
    await buyer(created.data!.createPayPalOrder.approveUrl, 'approve');
    const capturesBefore = (await stats(ts)).captures;

    const paid = await charge(ts, order.id, order.token, 'tok_visa');
    expect(paid.errors).toBeUndefined();
    await waitForStatus(ts, order.id, 'PAID');

    const late = await capture(ts, order.id, order.token);
    expect(late.errors).toBeUndefined();
    expect(late.data!.capturePayPalOrder.status).toBe('PAID');
    expect((await stats(ts)).captures).toBe(capturesBefore);
    const view = await orderOf(ts, order.id);
    expect(view.payments.map((p: { provider: string; status: string }) => `${p.provider}:${p.status}`)).toEqual(['PAYPAL:CANCELED', 'STRIPE:SUCCEEDED']);
  });

  it('a Checkout Session opened after a PayPal approval leaves the PayPal order uncapturable', async () => {
    const order = await newOrder(ts);
    const created = await gql<{ createPayPalOrder: { approveUrl: string } }>(
      ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: PAYPAL_CANCEL } }, order.token,
    );
    await buyer(created.data!.createPayPalOrder.approveUrl, 'approve');
    const capturesBefore = (await stats(ts)).captures;

    expect((await checkout(ts, order.id, order.token)).errors).toBeUndefined();
    const late = await capture(ts, order.id, order.token);
    expect(errorCode(late)).toBe('CONFLICT');
    expect(late.errors![0].message).toMatch(/no longer payable/);
    expect((await stats(ts)).captures).toBe(capturesBefore);
  });

  it('a refused createPayPalOrder (KWD) changes nothing: the open Checkout Session stays open, no event is written', async () => {
    const order = await newOrder(ts, [{ sku: 'DATES-BOX', quantity: 1 }]);
    const { sessionId } = (await checkout(ts, order.id, order.token)).data!.createCheckoutSession as { sessionId: string };
    const before = await orderOf(ts, order.id);

    const refused = await gql(ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: PAYPAL_CANCEL } }, order.token);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0].message).toMatch(/PayPal does not accept payments in KWD/);

    expect((await sandboxStripe(ts).checkout.sessions.retrieve(sessionId)).status).toBe('open');
    const after = await orderOf(ts, order.id);
    expect(after).toEqual(before);
  });

  it('a token Stripe does not know is refused before anything else is touched: the open Checkout Session stays open', async () => {
    const order = await newOrder(ts);
    const { sessionId } = (await checkout(ts, order.id, order.token)).data!.createCheckoutSession as { sessionId: string };
    const before = await orderOf(ts, order.id);
    const refused = await charge(ts, order.id, order.token, 'tok_doesNotExist');
    expect(errorCode(refused)).toBe('PROVIDER_ERROR');
    expect((await sandboxStripe(ts).checkout.sessions.retrieve(sessionId)).status).toBe('open');
    expect(await orderOf(ts, order.id)).toEqual(before);
  });
});
