import type { Client } from 'graphql-ws';
import type Stripe from 'stripe';
import { control } from '../helpers/sandbox.helpers';
import { collect, errorCode, eventually, gql, startTestService, wsClient, webhooksSettled, type TestService } from '../helpers/service.helpers';
import {
  CANCEL_URL, CHECKOUT, checkout, holdWebhooks, newOrder, orderOf, payOnHostedPage, releaseHeldWebhooks, sandboxStripe, SUCCESS_URL, waitForStatus,
} from './stripe.e2e-helpers';

const SUBSCRIPTION = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { orderId status previousStatus source } }`;

/** Stripe Checkout through the real service, the in-process sandbox and the official SDK. */
describe('Stripe Checkout', () => {
  let ts: TestService;
  let stripe: Stripe;
  const clients: Client[] = [];

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on' });
    stripe = sandboxStripe(ts);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await ts.close();
  });

  it('pays on the hosted page; the signed webhook makes it PAID and a subscriber sees PENDING then PAID', async () => {
    const { id, token } = await newOrder(ts, [{ sku: 'TSHIRT-BLK', quantity: 2 }, { sku: 'MUG-WHT', quantity: 1 }]);
    const client = wsClient(ts.wsUrl, token);
    clients.push(client);
    const sub = collect<{ orderStatusChanged: { status: string; previousStatus: string; source: string } }>(client, SUBSCRIPTION, { id });
    await eventually(async () => ts.service.services.pubSub.subscriberCount(id) === 1, 'the subscription to listen');

    const created = await checkout(ts, id, token);
    expect(created.errors).toBeUndefined();
    const session = created.data!.createCheckoutSession;
    expect(session.sessionId).toMatch(/^cs_test_/);
    expect(session.order.status).toBe('PENDING');
    expect(session.order.payments).toEqual([expect.objectContaining({ provider: 'STRIPE', method: 'STRIPE_CHECKOUT', status: 'OPEN', providerSessionId: session.sessionId, amount: 6200 })]);

    // What Stripe received: our order's own lines and prices, our ids in metadata and client_reference_id.
    const atStripe = await stripe.checkout.sessions.retrieve(session.sessionId);
    expect(atStripe.client_reference_id).toBe(id);
    expect(atStripe.metadata).toEqual({ orderId: id, paymentId: session.order.payments[0].id });
    expect(atStripe.amount_total).toBe(6200);
    expect(atStripe.currency).toBe('usd');
    const lines = await stripe.checkout.sessions.listLineItems(session.sessionId);
    expect(lines.data.map((l) => [l.description, l.price?.unit_amount, l.quantity])).toEqual([['Black T-shirt', 2500, 2], ['White mug', 1200, 1]]);

    const paid = await payOnHostedPage(session.url);
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`http://localhost:3000/thanks?session_id=${session.sessionId}`);

    const order = await waitForStatus(ts, id, 'PAID');
    expect(order.payments[0]).toMatchObject({ status: 'SUCCEEDED', providerPaymentId: expect.stringMatching(/^pi_/) });
    const statusEvents = order.events.filter((e: { type: string }) => e.type === 'STATUS_CHANGED');
    expect(statusEvents.map((e: { toStatus: string }) => e.toStatus)).toEqual(['PENDING', 'PAID']);
    expect(statusEvents[1].source).toMatch(/^stripe:evt_/);

    await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'PAID');
    expect(sub.results.map((r) => [r.data?.orderStatusChanged.previousStatus, r.data?.orderStatusChanged.status])).toEqual([['CREATED', 'PENDING'], ['PENDING', 'PAID']]);
    expect(sub.results[0].data?.orderStatusChanged.source).toBe('mutation:createCheckoutSession');
  });

  it('the success redirect alone changes nothing: only the signed webhook makes the order PAID', async () => {
    const { id, token } = await newOrder(ts);
    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    await holdWebhooks(ts, true);
    try {
      const paid = await payOnHostedPage(session.url);
      expect(paid.status).toBe(303);
      // The browser now lands on successUrl; following it reaches no part of our API that could mark it paid.
      await new Promise((r) => setTimeout(r, 300));
      expect((await orderOf(ts, id)).status).toBe('PENDING');
    } finally {
      await releaseHeldWebhooks(ts);
    }
    await waitForStatus(ts, id, 'PAID');
  });

  it('cancel on the hosted page leaves the order PENDING until the session expires, then EXPIRED', async () => {
    const { id, token } = await newOrder(ts);
    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    const canceled = await payOnHostedPage(session.url, '4242424242424242', 'cancel');
    expect(canceled.status).toBe(303);
    expect(canceled.headers.get('location')).toBe(CANCEL_URL);
    await webhooksSettled(ts);
    expect((await orderOf(ts, id)).status).toBe('PENDING');

    const expired = await control(ts.service.sandbox!, 'POST', `/stripe/checkout/sessions/${session.sessionId}/expire`);
    expect(expired.status).toBe(200);
    const order = await waitForStatus(ts, id, 'EXPIRED');
    expect(order.payments[0].status).toBe('EXPIRED');

    // An expired order can be paid again with a new session.
    const again = await checkout(ts, id, token);
    expect(again.errors).toBeUndefined();
    expect(again.data!.createCheckoutSession.sessionId).not.toBe(session.sessionId);
    expect(again.data!.createCheckoutSession.order.status).toBe('PENDING');
  });

  it('a declined card on the hosted page leaves the session open; another card then pays it', async () => {
    const { id, token } = await newOrder(ts);
    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    const declined = await payOnHostedPage(session.url, '4000000000000002');
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');
    await webhooksSettled(ts);
    // payment_intent.payment_failed arrived, but the session is still open: the attempt has not failed.
    const between = await orderOf(ts, id);
    expect(between.status).toBe('PENDING');
    expect(between.payments[0].status).toBe('OPEN');
    expect((await payOnHostedPage(session.url)).status).toBe(303);
    await waitForStatus(ts, id, 'PAID');
  });

  it('never two payable sessions: the same request reuses the open session, different redirects expire it first', async () => {
    const { id, token } = await newOrder(ts);
    const first = (await checkout(ts, id, token)).data!.createCheckoutSession;
    const same = (await checkout(ts, id, token)).data!.createCheckoutSession;
    expect(same.sessionId).toBe(first.sessionId);
    expect(same.url).toBe(first.url);
    expect(same.order.payments).toHaveLength(1);

    const other = await gql(ts.graphqlUrl, CHECKOUT, { input: { orderId: id, successUrl: 'http://localhost:3000/other', cancelUrl: CANCEL_URL } }, token);
    expect(other.errors).toBeUndefined();
    const second = other.data!.createCheckoutSession;
    expect(second.sessionId).not.toBe(first.sessionId);
    expect((await stripe.checkout.sessions.retrieve(first.sessionId)).status).toBe('expired');
    expect((await fetch(first.url)).status).toBe(410);
    expect(second.order.payments.map((p: { status: string }) => p.status)).toEqual(['EXPIRED', 'OPEN']);
    expect(second.order.status).toBe('PENDING');

    // A late checkout.session.expired for the old session does not move the order off its new attempt.
    await webhooksSettled(ts);
    expect((await orderOf(ts, id)).status).toBe('PENDING');
    expect((await payOnHostedPage(second.url)).status).toBe(303);
    await waitForStatus(ts, id, 'PAID');
    expect(errorCode(await checkout(ts, id, token))).toBe('CONFLICT');
  });

  it.each([
    ['succeeded', 'PAID', 'SUCCEEDED'],
    ['failed', 'FAILED', 'FAILED'],
  ])('a delayed payment method: completed-but-unpaid stays PENDING, then async_payment_%s → %s', async (outcome, orderStatus, paymentStatus) => {
    const { id, token } = await newOrder(ts);
    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    const started = await control(ts.service.sandbox!, 'POST', `/stripe/checkout/sessions/${session.sessionId}/async`, { outcome: 'processing' });
    expect(started.status).toBe(200);
    await webhooksSettled(ts);
    const processing = await orderOf(ts, id);
    expect(processing.status).toBe('PENDING');
    expect(processing.payments[0].status).toBe('PROCESSING');

    expect((await control(ts.service.sandbox!, 'POST', `/stripe/checkout/sessions/${session.sessionId}/async`, { outcome })).status).toBe(200);
    const order = await waitForStatus(ts, id, orderStatus);
    expect(order.payments[0].status).toBe(paymentStatus);
  });

  it('refuses bad redirect URLs with BAD_USER_INPUT naming the field, and checks who may pay', async () => {
    const { id, token } = await newOrder(ts);
    const ftp = await gql(ts.graphqlUrl, CHECKOUT, { input: { orderId: id, successUrl: 'ftp://example.com/x', cancelUrl: CANCEL_URL } }, token);
    expect(errorCode(ftp)).toBe('BAD_USER_INPUT');
    expect(ftp.errors![0].extensions!.field).toBe('input.successUrl');
    const plain = await gql(ts.graphqlUrl, CHECKOUT, { input: { orderId: id, successUrl: SUCCESS_URL, cancelUrl: 'http://shop.example.com/cart' } }, token);
    expect(errorCode(plain)).toBe('BAD_USER_INPUT');
    expect(plain.errors![0].extensions!.field).toBe('input.cancelUrl');
    expect((await orderOf(ts, id)).status).toBe('CREATED');

    const other = await newOrder(ts);
    expect(errorCode(await checkout(ts, id, other.token))).toBe('FORBIDDEN');
    expect(errorCode(await gql(ts.graphqlUrl, CHECKOUT, { input: { orderId: id, successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL } }))).toBe('UNAUTHENTICATED');
    const byAdmin = await checkout(ts, id, ts.adminKey);
    expect(byAdmin.errors).toBeUndefined();
  });
});
