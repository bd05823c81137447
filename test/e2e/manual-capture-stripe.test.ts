import type Stripe from 'stripe';
import { control } from '../helpers/sandbox.helpers';
import { collect, errorCode, eventually, gql, webhooksSettled, wsClient, type TestService } from '../helpers/service.helpers';
import { newOrder, refund, sandboxEvents, startStripeSandbox, waitForStatus } from './stripe.e2e-helpers';

/** Authorize now, capture later: chargeWithToken with captureMethod MANUAL, then capturePayment / voidPayment, against the sandbox. */
const AUTHORIZE = `mutation($input: ChargeWithTokenInput!) { chargeWithToken(input: $input) { order { id status amount amountCaptured payments { status providerPaymentId } } } }`;
const CAPTURE = `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { id status amount amountCaptured amountRefunded payments { status } } }`;
const VOID = `mutation($orderId: ID!) { voidPayment(orderId: $orderId) { id status amountCaptured payments { status } } }`;
const STATUSES = `subscription($orderId: ID!) { orderStatusChanged(orderId: $orderId) { status previousStatus } }`;

describe('manual capture with a Stripe card token', () => {
  let ts: TestService;
  let stripe: Stripe;
  beforeAll(async () => ({ ts, stripe } = await startStripeSandbox()));
  afterAll(() => ts.close());

  /** An order of 5000 minor units (USD) whose card is authorized, not charged. */
  async function authorized() {
    const { id, token } = await newOrder(ts);
    const res = await gql(ts.graphqlUrl, AUTHORIZE, { input: { orderId: id, token: 'tok_visa', captureMethod: 'MANUAL' } }, token);
    expect(res.errors).toBeUndefined();
    const order = res.data!.chargeWithToken.order;
    expect(order).toMatchObject({ status: 'AUTHORIZED', amount: 5000, amountCaptured: 0, payments: [{ status: 'AUTHORIZED' }] });
    const pi = await stripe.paymentIntents.retrieve(order.payments[0].providerPaymentId);
    expect(pi).toMatchObject({ status: 'requires_capture', capture_method: 'manual', amount_capturable: 5000, amount_received: 0 });
    return { id, token, pi: pi.id };
  }

  const capture = (orderId: string, amount?: number, bearer = ts.adminKey) => gql(ts.graphqlUrl, CAPTURE, { input: { orderId, ...(amount === undefined ? {} : { amount }) } }, bearer);

  it('authorize → full capture → PAID with everything captured; subscribers see CREATED → AUTHORIZED → PAID', async () => {
    const { id, token } = await newOrder(ts);
    const client = wsClient(ts.wsUrl, token);
    const sub = collect<{ orderStatusChanged: { status: string; previousStatus: string } }>(client, STATUSES, { orderId: id });
    try {
      await eventually(async () => ts.service.services.pubSub.subscriberCount(id) === 1, 'the subscription to listen');
      const res = await gql(ts.graphqlUrl, AUTHORIZE, { input: { orderId: id, token: 'tok_visa', captureMethod: 'MANUAL' } }, token);
      expect(res.data!.chargeWithToken.order.status).toBe('AUTHORIZED');
      const captured = await capture(id);
      expect(captured.errors).toBeUndefined();
      expect(captured.data!.capturePayment).toMatchObject({ status: 'PAID', amount: 5000, amountCaptured: 5000, payments: [{ status: 'SUCCEEDED' }] });
      await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'PAID');
      expect(sub.results.map((r) => r.data!.orderStatusChanged.status)).toEqual(['PENDING', 'AUTHORIZED', 'PAID']);
      expect(sub.results[0].data!.orderStatusChanged.previousStatus).toBe('CREATED');
    } finally {
      sub.stop();
      await client.dispose();
    }
    await webhooksSettled(ts);
    expect(await waitForStatus(ts, id, 'PAID')).toBeDefined();
  });

  it('authorize → partial capture → PAID with amountCaptured < amount; the rest is released and refunds stop at what was captured', async () => {
    const { id, pi } = await authorized();
    const res = await capture(id, 1800);
    expect(res.errors).toBeUndefined();
    expect(res.data!.capturePayment).toMatchObject({ status: 'PAID', amount: 5000, amountCaptured: 1800 });
    expect(await stripe.paymentIntents.retrieve(pi)).toMatchObject({ status: 'succeeded', amount_received: 1800, amount_capturable: 0 });
    await webhooksSettled(ts);
    const tooMuch = await refund(ts, id, 1801);
    expect(errorCode(tooMuch)).toBe('CONFLICT');
    const all = await refund(ts, id);
    expect(all.errors).toBeUndefined();
    expect(all.data!.refundOrder).toMatchObject({ amount: 1800, status: 'SUCCEEDED' });
    const order = await waitForStatus(ts, id, 'REFUNDED');
    expect(order.amountRefunded).toBe(1800);
  });

  it('authorize → void → CANCELED, nothing captured at the sandbox', async () => {
    const { id, pi } = await authorized();
    const res = await gql(ts.graphqlUrl, VOID, { orderId: id }, ts.adminKey);
    expect(res.errors).toBeUndefined();
    expect(res.data!.voidPayment).toMatchObject({ status: 'CANCELED', amountCaptured: 0, payments: [{ status: 'CANCELED' }] });
    expect(await stripe.paymentIntents.retrieve(pi)).toMatchObject({ status: 'canceled', amount_received: 0, amount_capturable: 0 });
    await webhooksSettled(ts);
    expect(await waitForStatus(ts, id, 'CANCELED')).toBeDefined();
    const late = await capture(id);
    expect(errorCode(late)).toBe('CONFLICT');
    expect(late.errors![0].message).toContain('is CANCELED');
  });

  it('authorize → the authorization lapses → EXPIRED (from Stripe’s signed events)', async () => {
    const { id, pi } = await authorized();
    const lapsed = await control(ts.service.sandbox!, 'POST', `/stripe/payment_intents/${pi}/expire_authorization`, {});
    expect(lapsed.status).toBe(200);
    const order = await waitForStatus(ts, id, 'EXPIRED');
    expect(order.payments[0].status).toBe('EXPIRED');
    expect(errorCode(await capture(id))).toBe('CONFLICT');
  });

  it('capturing more than authorized is BAD_USER_INPUT naming both amounts, and captures nothing', async () => {
    const { id, pi } = await authorized();
    const res = await capture(id, 5001);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain('5001 > 5000');
    expect(errorCode(await capture(id, 0))).toBe('BAD_USER_INPUT');
    expect(await stripe.paymentIntents.retrieve(pi)).toMatchObject({ status: 'requires_capture', amount_capturable: 5000, amount_received: 0 });
    expect(await waitForStatus(ts, id, 'AUTHORIZED')).toBeDefined();
  });

  it('two captures at once make one capture at Stripe', async () => {
    const { id, pi } = await authorized();
    const results = await Promise.all([capture(id, 2000), capture(id, 2000)]);
    const ok = results.filter((r) => !r.errors);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.errors)) expect(errorCode(r)).toBe('CONFLICT');
    await webhooksSettled(ts);
    const order = await waitForStatus(ts, id, 'PAID');
    expect(order.status).toBe('PAID');
    expect((await gql(ts.graphqlUrl, `query($id: ID!) { order(id: $id) { amountCaptured } }`, { id }, ts.adminKey)).data!.order.amountCaptured).toBe(2000);
    expect(await stripe.paymentIntents.retrieve(pi)).toMatchObject({ amount_received: 2000 });
    const captures = (await sandboxEvents(ts)).filter((e) => e.eventType === 'charge.captured' && e.body.data.object.payment_intent === pi);
    expect(captures).toHaveLength(1);
    // A different second amount is refused while (and after) the first is captured: one capture per PaymentIntent.
    const second = await capture(id, 100);
    expect(errorCode(second)).toBe('CONFLICT');
    expect(second.errors![0].message).toContain('$20.00 of the $50.00 authorized was captured already');
  });

  it('finalCapture: false (several captures, PayPal only) is BAD_USER_INPUT for Stripe, and captures nothing', async () => {
    const { id, pi } = await authorized();
    const res = await gql(ts.graphqlUrl, CAPTURE, { input: { orderId: id, amount: 1000, finalCapture: false } }, ts.adminKey);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain('Stripe captures a PaymentIntent once');
    expect(res.errors![0].extensions).toMatchObject({ field: 'input.finalCapture' });
    expect(await stripe.paymentIntents.retrieve(pi)).toMatchObject({ status: 'requires_capture', amount_received: 0 });
    expect(await waitForStatus(ts, id, 'AUTHORIZED')).toBeDefined();
  });

  it('cancelOrder refuses an AUTHORIZED order (the funds are held) and points to voidPayment', async () => {
    const { id, token, pi } = await authorized();
    const res = await gql(ts.graphqlUrl, `mutation($id: ID!) { cancelOrder(orderId: $id) { status } }`, { id }, token);
    expect(errorCode(res)).toBe('CONFLICT');
    expect(res.errors![0].message).toContain('voidPayment');
    expect(await stripe.paymentIntents.retrieve(pi)).toMatchObject({ status: 'requires_capture' });
  });

  it('the customer’s order token is FORBIDDEN on capture and void', async () => {
    const { id, token } = await authorized();
    expect(errorCode(await capture(id, undefined, token))).toBe('FORBIDDEN');
    expect(errorCode(await gql(ts.graphqlUrl, VOID, { orderId: id }, token))).toBe('FORBIDDEN');
    expect(await waitForStatus(ts, id, 'AUTHORIZED')).toBeDefined();
  });
});
