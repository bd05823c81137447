import Stripe from 'stripe';
import { control } from '../helpers/sandbox.helpers';
import { startStripeKit, stripeError, type StripeKit } from './stripe.kit';

let kit: StripeKit;
beforeAll(async () => {
  kit = await startStripeKit();
});
afterAll(() => kit.close());

const params = { amount: 2500, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', allowed_payment_method_types: ['card'] };

describe('Idempotency-Key', () => {
  test('same key and params → the stored response, replayed, with no second effect', async () => {
    const first = await kit.stripe.paymentIntents.create(params, { idempotencyKey: 'order-1-attempt-1' });
    const second = await kit.stripe.paymentIntents.create(params, { idempotencyKey: 'order-1-attempt-1' });
    expect(second.id).toBe(first.id);
    expect(second.latest_charge).toBe(first.latest_charge);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    await kit.sandbox.idle();
    const { body } = await control(kit.sandbox, 'GET', '/events?provider=stripe&eventType=payment_intent.succeeded');
    expect(body.filter((e: { body: { data: { object: { id: string } } } }) => e.body.data.object.id === first.id)).toHaveLength(1);
    const event = (await kit.event('payment_intent.succeeded', first.id)) as Stripe.Event;
    expect(event.request).toEqual({ id: first.lastResponse.requestId, idempotency_key: 'order-1-attempt-1' });
  });

  test('a decline (402) is stored and replayed too', async () => {
    const opts = { idempotencyKey: 'decline-1' };
    const a = await stripeError(kit.stripe.paymentIntents.create({ ...params, payment_method: 'pm_card_visa_chargeDeclined' }, opts));
    const b = await stripeError(kit.stripe.paymentIntents.create({ ...params, payment_method: 'pm_card_visa_chargeDeclined' }, opts));
    expect(b.statusCode).toBe(402);
    expect(b.charge).toBe(a.charge);
    expect(b.payment_intent?.id).toBe(a.payment_intent?.id);
  });

  test('same key with other params or another endpoint → 400 idempotency_error', async () => {
    await kit.stripe.paymentIntents.create(params, { idempotencyKey: 'k-conflict' });
    const other = await stripeError(kit.stripe.paymentIntents.create({ ...params, amount: 2600 }, { idempotencyKey: 'k-conflict' }));
    expect(other).toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' });
    expect(other.message).toContain('Keys for idempotent requests can only be used with the same parameters they were first used with');
    const endpoint = await stripeError(kit.stripe.refunds.create({ charge: 'ch_x' }, { idempotencyKey: 'k-conflict' }));
    expect(endpoint).toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' });
    expect(endpoint.message).toContain('same endpoint');
  });

  test('the same params in another order still match; raw form bodies replay byte-identical JSON', async () => {
    const headers = { 'Idempotency-Key': 'raw-order' };
    const a = await kit.raw('POST', '/v1/payment_intents', { amount: '900', currency: 'usd', 'payment_method_types[0]': 'card' }, headers);
    const b = await kit.raw('POST', '/v1/payment_intents', { 'payment_method_types[0]': 'card', currency: 'usd', amount: '900' }, headers);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(b.headers.get('original-request')).toBe(a.headers.get('request-id'));
    expect(await b.text()).toBe(await a.text());
  });

  test('a request refused by validation is not stored: the key stays usable', async () => {
    const bad = await stripeError(kit.stripe.paymentIntents.create({ ...params, amount: 1 }, { idempotencyKey: 'fix-me' }));
    expect(bad.statusCode).toBe(400);
    const good = await kit.stripe.paymentIntents.create({ ...params, amount: 1000 }, { idempotencyKey: 'fix-me' });
    expect(good.status).toBe('succeeded');
  });
});
