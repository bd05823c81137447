import Stripe from 'stripe';
import type { RunningSandbox } from '../../src/sandbox/core/sandbox.types';
import { control, startTestSandbox } from '../helpers/sandbox.helpers';
import { stripeClient, stripeError } from './stripe.kit';

let sandbox: RunningSandbox;
let stripe: Stripe;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  stripe = stripeClient(sandbox);
});
afterEach(() => control(sandbox, 'DELETE', '/faults'));
afterAll(() => sandbox.close());

const params = { amount: 3000, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', allowed_payment_method_types: ['card'] };
const fault = async (body: Record<string, unknown>) => expect((await control(sandbox, 'POST', '/faults', body)).status).toBe(201);

describe('fault injection', () => {
  test('latency delays the next matching call only', async () => {
    await fault({ provider: 'stripe', kind: 'latency', ms: 250 });
    let t = Date.now();
    await stripe.paymentIntents.create(params);
    expect(Date.now() - t).toBeGreaterThanOrEqual(240);
    t = Date.now();
    await stripe.paymentIntents.create(params);
    expect(Date.now() - t).toBeLessThan(240);
  });

  test('status answers a 5xx in Stripe’s shape without processing; match targets one call', async () => {
    const pi = await stripe.paymentIntents.create(params);
    await fault({ provider: 'stripe', kind: 'status', status: 503, match: 'POST /v1/refunds' });
    await stripe.paymentIntents.retrieve(pi.id);
    const err = await stripeError(stripe.refunds.create({ payment_intent: pi.id }));
    expect(err).toMatchObject({ type: 'StripeAPIError', statusCode: 503 });
    expect(err.requestId).toMatch(/^req_/);
    expect(await stripe.charges.retrieve(String(pi.latest_charge))).toMatchObject({ amount_refunded: 0 });
    expect((await stripe.refunds.create({ payment_intent: pi.id })).status).toBe('succeeded');
  });

  test('429 maps to the SDK’s rate-limit error', async () => {
    await fault({ provider: 'stripe', kind: 'status', status: 429 });
    const err = await stripeError(stripe.paymentIntents.create(params));
    expect(err).toMatchObject({ type: 'StripeRateLimitError', statusCode: 429, code: 'rate_limit' });
  });

  test('timeout: the effect is stored, the answer is lost; the same Idempotency-Key replays it', async () => {
    await fault({ provider: 'stripe', kind: 'timeout', ms: 20, count: 2, match: 'POST /v1/payment_intents' });
    const key = 'lost-response-1';
    const err = await stripeError(stripe.paymentIntents.create(params, { idempotencyKey: key }));
    expect(err.type).toBe('StripeConnectionError');
    const { body } = await control(sandbox, 'GET', '/events?provider=stripe&eventType=payment_intent.succeeded');
    const happened = body.filter((e: { body: { request: { idempotency_key: string } } }) => e.body.request.idempotency_key === key);
    expect(happened).toHaveLength(1);
    const replay = await stripe.paymentIntents.create(params, { idempotencyKey: key });
    expect(replay.id).toBe(happened[0].body.data.object.id);
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
  });

  test('timeout once: stripe-node retries the closed connection with its own key and gets the replay', async () => {
    await fault({ provider: 'stripe', kind: 'timeout', ms: 10, count: 1 });
    const pi = await stripe.paymentIntents.create(params);
    expect(pi.status).toBe('succeeded');
    expect(pi.lastResponse.headers['idempotent-replayed']).toBe('true');
  });

  test('faults apply to provider API paths only, by provider', async () => {
    await fault({ provider: 'stripe', kind: 'status', status: 500 });
    const session = await fetch(`${sandbox.url}/stripe/checkout/pay/cs_test_x`);
    expect(session.status).toBe(404);
    expect((await control(sandbox, 'GET', '/faults')).body).toHaveLength(1);
    await control(sandbox, 'DELETE', '/faults');
    await fault({ provider: 'paypal', kind: 'status', status: 500 });
    expect((await stripe.paymentIntents.create(params)).status).toBe('succeeded');
    const res = await fetch(`${sandbox.url}/v1/oauth2/token`, { method: 'POST', body: 'grant_type=client_credentials', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ name: 'INTERNAL_SERVER_ERROR', debug_id: expect.any(String) });
  });
});
