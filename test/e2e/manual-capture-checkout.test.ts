import type Stripe from 'stripe';
import { control } from '../helpers/sandbox.helpers';
import { collect, errorCode, eventually, gql, webhooksSettled, wsClient, type TestService } from '../helpers/service.helpers';
import { CANCEL_URL, holdWebhooks, newOrder, orderOf, payOnHostedPage, refund, sandboxEvents, startStripeSandbox, SUCCESS_URL, waitForStatus } from './stripe.e2e-helpers';

/** Stripe Checkout with captureMethod MANUAL: the hosted page authorizes, an admin captures or voids. */
const CHECKOUT = `mutation($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId url order { status } } }`;
const CAPTURE = `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { status amount amountCaptured } }`;
const VOID = `mutation($orderId: ID!) { voidPayment(orderId: $orderId) { status amountCaptured } }`;
const STATUSES = `subscription($orderId: ID!) { orderStatusChanged(orderId: $orderId) { status previousStatus } }`;
const CAPTURED = `query($id: ID!) { order(id: $id) { amountCaptured } }`;

describe('manual capture through Stripe Checkout', () => {
  let ts: TestService;
  let stripe: Stripe;
  beforeAll(async () => ({ ts, stripe } = await startStripeSandbox()));
  afterAll(() => ts.close());

  /** An order (5000 minor units) whose hosted-page card payment only authorized. */
  async function authorizedOnCheckout(existing?: { id: string; token: string }) {
    const { id, token } = existing ?? (await newOrder(ts));
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
    // Refunds are bounded by what was captured, not by the order's amount.
    expect(errorCode(await refund(ts, id, 3001))).toBe('CONFLICT');
    expect((await refund(ts, id)).data!.refundOrder).toMatchObject({ amount: 3000, status: 'SUCCEEDED' });
    expect((await waitForStatus(ts, id, 'REFUNDED')).amountRefunded).toBe(3000);
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

  const capture = (orderId: string, amount?: number, bearer = ts.adminKey) => gql(ts.graphqlUrl, CAPTURE, { input: { orderId, ...(amount === undefined ? {} : { amount }) } }, bearer);

  it('full capture → PAID with everything captured; subscribers see CREATED → PENDING → AUTHORIZED → PAID', async () => {
    const created = await newOrder(ts);
    const client = wsClient(ts.wsUrl, created.token);
    const sub = collect<{ orderStatusChanged: { status: string; previousStatus: string } }>(client, STATUSES, { orderId: created.id });
    try {
      await eventually(async () => ts.service.services.pubSub.subscriberCount(created.id) === 1, 'the subscription to listen');
      const { pi } = await authorizedOnCheckout(created);
      const res = await capture(created.id);
      expect(res.errors).toBeUndefined();
      expect(res.data!.capturePayment).toMatchObject({ status: 'PAID', amount: 5000, amountCaptured: 5000 });
      expect(await stripe.paymentIntents.retrieve(pi)).toMatchObject({ status: 'succeeded', amount_received: 5000 });
      await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'PAID');
      expect(sub.results.map((r) => r.data!.orderStatusChanged.status)).toEqual(['PENDING', 'AUTHORIZED', 'PAID']);
      expect(sub.results[0].data!.orderStatusChanged.previousStatus).toBe('CREATED');
    } finally {
      sub.stop();
      await client.dispose();
    }
  });

  it('the authorization lapses → EXPIRED (from Stripe’s signed events); a capture afterwards is CONFLICT', async () => {
    const { id, pi } = await authorizedOnCheckout();
    expect((await control(ts.service.sandbox!, 'POST', `/stripe/payment_intents/${pi}/expire_authorization`, {})).status).toBe(200);
    expect((await waitForStatus(ts, id, 'EXPIRED')).payments[0].status).toBe('EXPIRED');
    expect(errorCode(await capture(id))).toBe('CONFLICT');
  });

  it('capturing more than authorized is BAD_USER_INPUT naming both amounts, and captures nothing', async () => {
    const { id, pi } = await authorizedOnCheckout();
    const res = await capture(id, 5001);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain('5001 > 5000');
    expect(await stripe.paymentIntents.retrieve(pi)).toMatchObject({ status: 'requires_capture', amount_capturable: 5000, amount_received: 0 });
  });

  it('two captures at once make one capture at Stripe', async () => {
    const { id, pi } = await authorizedOnCheckout();
    const results = await Promise.all([capture(id, 2500), capture(id, 2500)]);
    expect(results.filter((r) => !r.errors).length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.errors)) expect(errorCode(r)).toBe('CONFLICT');
    await webhooksSettled(ts);
    await waitForStatus(ts, id, 'PAID');
    expect((await gql(ts.graphqlUrl, CAPTURED, { id }, ts.adminKey)).data!.order.amountCaptured).toBe(2500);
    expect((await sandboxEvents(ts)).filter((e) => e.eventType === 'charge.captured' && e.body.data.object.payment_intent === pi)).toHaveLength(1);
  });

  it('the customer’s order token is FORBIDDEN on capture and void', async () => {
    const { id, token, pi } = await authorizedOnCheckout();
    expect(errorCode(await capture(id, undefined, token))).toBe('FORBIDDEN');
    expect(errorCode(await gql(ts.graphqlUrl, VOID, { orderId: id }, token))).toBe('FORBIDDEN');
    expect(await stripe.paymentIntents.retrieve(pi)).toMatchObject({ status: 'requires_capture' });
  });

  it('the authorization’s events (session completed, amount capturable) in either delivery order end AUTHORIZED, and then PAID once captured', async () => {
    await holdWebhooks(ts, true);
    const flows: { id: string; events: string[] }[] = [];
    try {
      for (let i = 0; i < 2; i += 1) {
        const { id, token } = await newOrder(ts);
        const res = await gql(ts.graphqlUrl, CHECKOUT, { input: { orderId: id, successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL, captureMethod: 'MANUAL' } }, token);
        const { sessionId, url } = res.data!.createCheckoutSession;
        expect((await payOnHostedPage(url)).status).toBe(303);
        const pi = String((await stripe.checkout.sessions.retrieve(sessionId)).payment_intent);
        const events = (await sandboxEvents(ts)).filter((e) => e.body.data.object.id === sessionId || e.body.data.object.id === pi);
        const ids = ['checkout.session.completed', 'payment_intent.amount_capturable_updated'].map((type) => {
          const found = events.find((e) => e.eventType === type);
          if (!found) throw new Error(`no ${type} for ${sessionId}`);
          return found.eventId;
        });
        flows.push({ id, events: i === 0 ? ids : [...ids].reverse() });
      }
    } finally {
      await holdWebhooks(ts, false);
    }
    expect((await control(ts.service.sandbox!, 'POST', '/webhooks/release', { provider: 'stripe', order: flows.flatMap((f) => f.events) })).status).toBe(200);
    await webhooksSettled(ts);
    for (const f of flows) {
      const order = await orderOf(ts, f.id);
      expect([order.status, order.payments.map((p: { status: string }) => p.status)]).toEqual(['AUTHORIZED', ['AUTHORIZED']]);
      expect((await capture(f.id)).data!.capturePayment.status).toBe('PAID');
    }
  }, 30000);
});
