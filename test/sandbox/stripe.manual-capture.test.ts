/**
 * `capture_method=manual` on PaymentIntents: authorize (requires_capture), capture all or part
 * (the rest released), cancel, and the lapse after 7 days, with the events Stripe sends for each.
 * Every object is checked against spec3.json.
 */
import { control } from '../helpers/sandbox.helpers';
import { expectStripeSchema } from './stripe.schema';
import { startStripeKit, stripeError, type StripeKit } from './stripe.kit';

let kit: StripeKit;
beforeAll(async () => {
  kit = await startStripeKit();
});
afterAll(() => kit.close());

const authorize = async (amount = 5000) => {
  const pi = await kit.stripe.paymentIntents.create({ amount, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, capture_method: 'manual', automatic_payment_methods: { enabled: true, allow_redirects: 'never' } });
  expect(pi).toMatchObject({ status: 'requires_capture', capture_method: 'manual', amount_capturable: amount, amount_received: 0 });
  return pi;
};

const typesFor = (id: string) => kit.events().filter((e) => (e.data.object as { id?: string; payment_intent?: string }).id === id || (e.data.object as { payment_intent?: string }).payment_intent === id).map((e) => e.type);

describe('manual capture through the stripe SDK', () => {
  test('confirm authorizes: an uncaptured charge, payment_intent.amount_capturable_updated, and no payment_intent.succeeded', async () => {
    const pi = await authorize();
    expectStripeSchema('payment_intent', pi);
    const charge = await kit.stripe.charges.retrieve(String(pi.latest_charge));
    expect(charge).toMatchObject({ status: 'succeeded', captured: false, amount: 5000, amount_captured: 0 });
    expectStripeSchema('charge', charge);
    const event = await kit.event('payment_intent.amount_capturable_updated', pi.id);
    expect(event.data.object).toMatchObject({ status: 'requires_capture', amount_capturable: 5000 });
    expectStripeSchema('event', event);
    expect(typesFor(pi.id)).not.toContain('payment_intent.succeeded');
  });

  test('a full capture takes the whole authorization', async () => {
    const pi = await authorize(3000);
    const captured = await kit.stripe.paymentIntents.capture(pi.id);
    expect(captured).toMatchObject({ status: 'succeeded', amount_received: 3000, amount_capturable: 0 });
    expectStripeSchema('payment_intent', captured);
    const charge = await kit.stripe.charges.retrieve(String(pi.latest_charge));
    expect(charge).toMatchObject({ captured: true, amount_captured: 3000, amount_refunded: 0 });
    await kit.event('charge.captured', charge.id);
    expect((await kit.event('payment_intent.succeeded', pi.id)).data.object).toMatchObject({ amount_received: 3000 });
  });

  test('a partial capture takes amount_to_capture and releases the rest; a second capture is refused', async () => {
    const pi = await authorize(5000);
    const captured = await kit.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1200 });
    expect(captured).toMatchObject({ status: 'succeeded', amount: 5000, amount_received: 1200, amount_capturable: 0 });
    expect(await kit.stripe.charges.retrieve(String(pi.latest_charge))).toMatchObject({ captured: true, amount_captured: 1200 });
    const again = await stripeError(kit.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 100 }));
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state', message: expect.stringContaining('status of succeeded') });
    expectStripeSchema('error', { error: again.raw });
  });

  test('capturing more than authorized (or nothing) is refused and captures nothing', async () => {
    const pi = await authorize(2000);
    const over = await stripeError(kit.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 2001 }));
    expect(over).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', code: 'amount_too_large', param: 'amount_to_capture', message: expect.stringContaining('(2001)') });
    const zero = await stripeError(kit.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 0 }));
    expect(zero).toMatchObject({ statusCode: 400, param: 'amount_to_capture' });
    expect(await kit.stripe.paymentIntents.retrieve(pi.id)).toMatchObject({ status: 'requires_capture', amount_capturable: 2000, amount_received: 0 });
  });

  test('an automatic PaymentIntent cannot be captured', async () => {
    const pi = await kit.stripe.paymentIntents.create({ amount: 900, currency: 'usd', payment_method: 'pm_card_visa', confirm: true, automatic_payment_methods: { enabled: true, allow_redirects: 'never' } });
    const err = await stripeError(kit.stripe.paymentIntents.capture(pi.id));
    expect(err).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  test('cancel releases the authorization; a canceled PaymentIntent cannot be captured', async () => {
    const pi = await authorize(4000);
    const canceled = await kit.stripe.paymentIntents.cancel(pi.id, { cancellation_reason: 'requested_by_customer' });
    expect(canceled).toMatchObject({ status: 'canceled', amount_capturable: 0, amount_received: 0, cancellation_reason: 'requested_by_customer' });
    expectStripeSchema('payment_intent', canceled);
    await kit.event('payment_intent.canceled', pi.id);
    const err = await stripeError(kit.stripe.paymentIntents.capture(pi.id));
    expect(err).toMatchObject({ code: 'payment_intent_unexpected_state', message: expect.stringContaining('status of canceled') });
  });

  test('the authorization lapses (control): charge.expired, then payment_intent.canceled with reason automatic', async () => {
    const pi = await authorize(2500);
    const lapsed = await control(kit.sandbox, 'POST', `/stripe/payment_intents/${pi.id}/expire_authorization`, {});
    expect(lapsed).toMatchObject({ status: 200, body: { status: 'canceled', cancellation_reason: 'automatic' } });
    await kit.event('payment_intent.canceled', pi.id);
    const types = typesFor(pi.id);
    expect(types.indexOf('charge.expired')).toBeGreaterThanOrEqual(0);
    expect(types.indexOf('charge.expired')).toBeLessThan(types.indexOf('payment_intent.canceled'));
    expect(await control(kit.sandbox, 'POST', `/stripe/payment_intents/${pi.id}/expire_authorization`, {})).toMatchObject({ status: 409 });
  });
});
