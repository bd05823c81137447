import type Stripe from 'stripe';
import { control, postForm } from '../helpers/sandbox.helpers';
import { errorCode, gql, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { CHARGE, charge, checkout, holdWebhooks, newOrder, orderOf, payOnHostedPage, sandboxEvents, startStripeSandbox, waitForStatus } from './stripe.e2e-helpers';

/** chargeWithToken: PaymentIntents created and confirmed through the official SDK against the sandbox. */
describe('Stripe card charges (chargeWithToken)', () => {
  let ts: TestService;
  let stripe: Stripe;
  beforeAll(async () => ({ ts, stripe } = await startStripeSandbox()));
  afterAll(() => ts.close());

  it('tok_visa → PAID at once, with the PaymentIntent and charge ids kept and our ids in Stripe metadata', async () => {
    const { id, token } = await newOrder(ts);
    const res = await charge(ts, id, token, 'tok_visa');
    expect(res.errors).toBeUndefined();
    const result = res.data!.chargeWithToken;
    expect(result).toMatchObject({ requiresAction: false, clientSecret: null, nextActionUrl: null, chargeId: expect.stringMatching(/^ch_/) });
    expect(result.order.status).toBe('PAID');
    const [payment] = result.order.payments;
    expect(payment).toMatchObject({ method: 'STRIPE_CARD', status: 'SUCCEEDED', providerChargeId: result.chargeId, providerPaymentId: expect.stringMatching(/^pi_/) });
    const paidEvent = result.order.events.find((e: { toStatus: string }) => e.toStatus === 'PAID');
    expect(paidEvent.source).toBe('mutation:chargeWithToken');

    const pi = await stripe.paymentIntents.retrieve(payment.providerPaymentId);
    expect(pi).toMatchObject({ amount: 5000, currency: 'usd', status: 'succeeded', metadata: { orderId: id, paymentId: payment.id } });

    // The webhooks that follow restate the same facts and change nothing.
    await webhooksSettled(ts);
    const order = await orderOf(ts, id);
    expect(order.events.filter((e: { type: string }) => e.type === 'STATUS_CHANGED')).toHaveLength(2);
  });

  it('pm_card_visa works too', async () => {
    const { id, token } = await newOrder(ts);
    const res = await charge(ts, id, token, 'pm_card_visa');
    expect(res.data!.chargeWithToken.order.status).toBe('PAID');
  });

  it('tok_chargeDeclined → FAILED (committed) and PROVIDER_ERROR card_declined with Stripe’s message; the order can then be paid', async () => {
    const { id, token } = await newOrder(ts);
    const res = await charge(ts, id, token, 'tok_chargeDeclined');
    expect(errorCode(res)).toBe('PROVIDER_ERROR');
    expect(res.errors![0].extensions).toMatchObject({ provider: 'STRIPE', providerCode: 'card_declined' });
    expect(res.errors![0].message).toBe('Your card was declined.');
    const failed = await orderOf(ts, id);
    expect(failed.status).toBe('FAILED');
    expect(failed.payments[0]).toMatchObject({ status: 'FAILED', failureCode: 'card_declined', providerPaymentId: expect.stringMatching(/^pi_/) });

    const retry = await charge(ts, id, token, 'tok_visa');
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.chargeWithToken.order.status).toBe('PAID');
    expect(retry.data!.chargeWithToken.order.payments.map((p: { status: string }) => p.status)).toEqual(['FAILED', 'SUCCEEDED']);
    // A late payment_intent.payment_failed of the first attempt cannot move the paid order back.
    await webhooksSettled(ts);
    expect((await orderOf(ts, id)).status).toBe('PAID');
  });

  it('insufficient funds carries its own providerCode', async () => {
    const { id, token } = await newOrder(ts);
    const res = await charge(ts, id, token, 'tok_chargeDeclinedInsufficientFunds');
    expect(res.errors![0].extensions).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'insufficient_funds' });
    expect(res.errors![0].message).toBe('Your card has insufficient funds.');
    expect((await orderOf(ts, id)).status).toBe('FAILED');
  });

  it('3-D Secure → REQUIRES_ACTION with clientSecret and nextActionUrl → completed on the sandbox page → PAID via webhook', async () => {
    const { id, token } = await newOrder(ts);
    const res = await charge(ts, id, token, 'tok_threeDSecure2Required');
    expect(res.errors).toBeUndefined();
    const result = res.data!.chargeWithToken;
    expect(result).toMatchObject({ requiresAction: true, chargeId: null, clientSecret: expect.stringMatching(/^pi_.+_secret_/), nextActionUrl: expect.stringContaining('/stripe/3ds/') });
    expect(result.order.status).toBe('REQUIRES_ACTION');

    const done = await postForm(result.nextActionUrl, { action: 'complete' });
    expect(done.status).toBe(303);
    const back = new URL(done.headers.get('location')!);
    // Back to the storefront's order page on the address the service really listens on.
    expect(back.origin).toBe(new URL(ts.url).origin);
    expect(back.pathname).toBe('/order.html');
    expect(back.searchParams.get('id')).toBe(id);
    expect((await fetch(back)).status).toBe(200);
    expect(back.searchParams.get('redirect_status')).toBe('succeeded');

    const order = await waitForStatus(ts, id, 'PAID');
    expect(order.payments[0]).toMatchObject({ status: 'SUCCEEDED', providerChargeId: expect.stringMatching(/^ch_/) });
    expect(order.events.find((e: { toStatus: string }) => e.toStatus === 'PAID').source).toMatch(/^stripe:evt_/);
  });

  it('3-D Secure failed on the sandbox page → FAILED via webhook', async () => {
    const { id, token } = await newOrder(ts);
    const result = (await charge(ts, id, token, 'tok_threeDSecure2Required')).data!.chargeWithToken;
    expect((await postForm(result.nextActionUrl, { action: 'fail' })).status).toBe(303);
    const order = await waitForStatus(ts, id, 'FAILED');
    expect(order.payments[0].failureCode).toBe('payment_intent_authentication_failure');
  });

  it('one payable attempt at a time: checkout cancels a PaymentIntent awaiting 3-D Secure, a token charge expires an open session', async () => {
    const { id, token } = await newOrder(ts);
    const threeDs = (await charge(ts, id, token, 'tok_threeDSecure2Required')).data!.chargeWithToken;
    const started = await checkout(ts, id, token);
    expect(started.errors).toBeUndefined();
    const session = started.data!.createCheckoutSession;
    const pi = await stripe.paymentIntents.retrieve(threeDs.order.payments[0].providerPaymentId);
    expect(pi.status).toBe('canceled');
    expect((await postForm(threeDs.nextActionUrl, { action: 'complete' })).status).toBe(409);
    expect(session.order.payments.map((p: { status: string; failureCode: string }) => [p.status, p.failureCode])).toEqual([['FAILED', 'payment_intent_canceled'], ['OPEN', null]]);

    const paid = await charge(ts, id, token, 'tok_visa');
    expect(paid.data!.chargeWithToken.order.status).toBe('PAID');
    expect((await stripe.checkout.sessions.retrieve(session.sessionId)).status).toBe('expired');
    expect((await payOnHostedPage(session.url)).status).toBe(410);
    await webhooksSettled(ts);
    expect((await orderOf(ts, id)).status).toBe('PAID');
  });

  it('refuses a malformed token, and a paid order', async () => {
    const { id, token } = await newOrder(ts);
    const bad = await gql(ts.graphqlUrl, CHARGE, { input: { orderId: id, token: '4242424242424242' } }, token);
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].extensions!.field).toBe('input.token');
    expect((await orderOf(ts, id)).status).toBe('CREATED');
    await charge(ts, id, token, 'tok_visa');
    expect(errorCode(await charge(ts, id, token, 'tok_visa'))).toBe('CONFLICT');
    const other = await newOrder(ts);
    expect(errorCode(await charge(ts, id, other.token, 'tok_visa'))).toBe('FORBIDDEN');
  });

  it('a timeout on the create call is retried by the SDK with the same key: exactly one PaymentIntent, PAID', async () => {
    const { id, token } = await newOrder(ts);
    await control(ts.service.sandbox!, 'POST', '/faults', { provider: 'stripe', kind: 'timeout', match: 'POST /v1/payment_intents', count: 1 });
    const res = await charge(ts, id, token, 'tok_visa');
    expect(res.errors).toBeUndefined();
    expect(res.data!.chargeWithToken.order.status).toBe('PAID');
    await webhooksSettled(ts);
    const succeeded = (await sandboxEvents(ts)).filter((e) => e.eventType === 'payment_intent.succeeded' && e.body.data.object.metadata.orderId === id);
    expect(succeeded).toHaveLength(1);
  });

  it('when Stripe stays silent the attempt stays open (retryable PROVIDER_ERROR) and the next call reuses the same attempt and key', async () => {
    const { id, token } = await newOrder(ts);
    // The first request and both SDK retries time out (each one reached the sandbox). Webhooks are
    // held so that only our own retry can tell the service what happened.
    await holdWebhooks(ts, true);
    await control(ts.service.sandbox!, 'POST', '/faults', { provider: 'stripe', kind: 'timeout', match: 'POST /v1/payment_intents', count: 3 });
    const res = await charge(ts, id, token, 'tok_visa').finally(() => holdWebhooks(ts, false));
    expect(res.errors![0].extensions).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'api_connection_error' });
    const open = await orderOf(ts, id);
    expect(open.status).toBe('PENDING');
    expect(open.payments).toEqual([expect.objectContaining({ status: 'OPEN', providerPaymentId: null })]);

    // A checkout cannot start while the card attempt's outcome is unknown.
    expect(errorCode(await checkout(ts, id, token))).toBe('CONFLICT');

    const again = await charge(ts, id, token, 'tok_visa');
    expect(again.errors).toBeUndefined();
    const order = again.data!.chargeWithToken.order;
    expect(order.status).toBe('PAID');
    expect(order.payments).toEqual([expect.objectContaining({ id: open.payments[0].id, status: 'SUCCEEDED' })]);
    await control(ts.service.sandbox!, 'POST', '/webhooks/release', { provider: 'stripe' });
    await webhooksSettled(ts);
    expect((await orderOf(ts, id)).status).toBe('PAID');
    const charges = (await sandboxEvents(ts)).filter((e) => e.eventType === 'charge.succeeded' && e.body.data.object.metadata.orderId === id);
    expect(charges).toHaveLength(1);
  }, 20000);
});
