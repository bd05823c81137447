import { postForm } from '../helpers/sandbox.helpers';
import { expectStripeSchema } from './stripe.schema';
import { startStripeKit, stripeClient, stripeError, type StripeKit } from './stripe.kit';

let kit: StripeKit;
beforeAll(async () => {
  kit = await startStripeKit();
});
afterAll(() => kit.close());

const RETURN_URL = 'https://shop.example/return';
const create = (payment_method: string, extra: Record<string, unknown> = {}) =>
  kit.stripe.paymentIntents.create({ amount: 2000, currency: 'usd', payment_method, confirm: true, return_url: RETURN_URL, metadata: { order: 'o1' }, ...extra });

describe('PaymentIntents through the stripe SDK', () => {
  test.each(['pm_card_visa', 'pm_card_visa_debit', 'pm_card_mastercard', 'pm_card_amex', 'pm_card_bypassPending', 'pm_card_threeDSecureOptional', 'pm_card_refundFail', 'pm_card_createDispute'])(
    '%s succeeds with a charge and a signed payment_intent.succeeded',
    async (pm) => {
      const pi = await create(pm);
      expect(pi).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 2000, amount_received: 2000, currency: 'usd', metadata: { order: 'o1' } });
      expect(pi.id).toMatch(/^pi_/);
      expect(pi.payment_method).toMatch(/^pm_/);
      expect(pi.payment_method).not.toBe(pm);
      expectStripeSchema('payment_intent', pi);
      const charge = await kit.stripe.charges.retrieve(String(pi.latest_charge));
      expect(charge).toMatchObject({ status: 'succeeded', paid: true, amount: 2000, payment_intent: pi.id, metadata: { order: 'o1' } });
      expectStripeSchema('charge', charge);
      const event = await kit.event('payment_intent.succeeded', pi.id);
      expect(event).toMatchObject({ object: 'event', livemode: false, api_version: '2023-08-16', request: { id: expect.stringMatching(/^req_/) } });
      expectStripeSchema('event', event);
    },
  );

  test.each([
    ['pm_card_visa_chargeDeclined', 'card_declined', 'generic_decline', 'Your card was declined.'],
    ['pm_card_visa_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds', 'Your card has insufficient funds.'],
    ['pm_card_visa_chargeDeclinedLostCard', 'card_declined', 'lost_card', 'Your card was declined.'],
    ['pm_card_visa_chargeDeclinedStolenCard', 'card_declined', 'stolen_card', 'Your card was declined.'],
    ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', 'Your card has expired.'],
    ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc', "Your card's security code is incorrect."],
    ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error', 'An error occurred while processing your card. Try again in a little bit.'],
    ['pm_card_visa_chargeDeclinedVelocityLimitExceeded', 'card_declined', 'card_velocity_exceeded', expect.stringContaining('declined')],
    ['pm_card_chargeCustomerFail', 'card_declined', 'generic_decline', 'Your card was declined.'],
    ['pm_card_radarBlock', 'card_declined', 'fraudulent', 'Your card was declined.'],
  ])('%s declines with 402 %s/%s', async (pm, code, declineCode, message) => {
    const err = await stripeError(create(pm));
    expect(err).toMatchObject({ type: 'StripeCardError', statusCode: 402, code, decline_code: declineCode, message });
    expect(err.requestId).toMatch(/^req_/);
    expect(err.charge).toMatch(/^ch_/);
    expectStripeSchema('error', { error: err.raw });
    const pi = err.payment_intent!;
    expect(pi).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code, decline_code: declineCode, type: 'card_error' } });
    const failed = await kit.event('payment_intent.payment_failed', pi.id);
    expect((failed.data.object as { last_payment_error: { code: string } }).last_payment_error.code).toBe(code);
    const charge = await kit.stripe.charges.retrieve(err.charge!);
    expect(charge).toMatchObject({ status: 'failed', failure_code: code, paid: false });
  });

  test('payment_method_data[card][token] is not in Stripe\'s API and is refused; a token becomes a PaymentMethod first, then pays or declines', async () => {
    const refused = await stripeError(kit.stripe.paymentIntents.create({ amount: 1500, currency: 'eur', confirm: true, return_url: RETURN_URL, payment_method_data: { type: 'card', card: { token: 'tok_visa' } } as never }));
    expect(refused).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', code: 'parameter_unknown', param: 'payment_method_data[card]' });
    const pm = await kit.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    const ok = await kit.stripe.paymentIntents.create({ amount: 1500, currency: 'eur', confirm: true, return_url: RETURN_URL, payment_method: pm.id });
    expect(ok.status).toBe('succeeded');
    const declining = await kit.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_chargeDeclinedInsufficientFunds' } });
    const err = await stripeError(kit.stripe.paymentIntents.create({ amount: 1500, currency: 'eur', confirm: true, return_url: RETURN_URL, payment_method: declining.id }));
    expect(err).toMatchObject({ statusCode: 402, decline_code: 'insufficient_funds' });
  });

  test('zero-decimal currencies are taken as-is', async () => {
    const pi = await create('pm_card_visa', { amount: 5000, currency: 'JPY' });
    expect(pi).toMatchObject({ amount: 5000, currency: 'jpy', status: 'succeeded' });
  });

  describe('3-D Secure', () => {
    const authenticate = async (pm: string, action: 'complete' | 'fail') => {
      const pi = await create(pm);
      expect(pi.status).toBe('requires_action');
      expect(pi.client_secret).toMatch(new RegExp(`^${pi.id}_secret_`));
      expect(pi.next_action).toMatchObject({ type: 'redirect_to_url', redirect_to_url: { return_url: RETURN_URL, url: expect.stringContaining(`/stripe/3ds/${pi.id}`) } });
      expectStripeSchema('payment_intent', pi);
      const url = pi.next_action!.redirect_to_url!.url!;
      const page = await fetch(url);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('name="action" value="complete"');
      expect(html).toContain('$20.00');
      const res = await postForm(url, { action });
      expect(res.status).toBe(303);
      const location = new URL(res.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(RETURN_URL);
      expect(location.searchParams.get('payment_intent')).toBe(pi.id);
      expect(location.searchParams.get('payment_intent_client_secret')).toBe(pi.client_secret);
      return { pi: await kit.stripe.paymentIntents.retrieve(pi.id), redirectStatus: location.searchParams.get('redirect_status'), url };
    };

    test.each(['pm_card_threeDSecure2Required', 'pm_card_authenticationRequired', 'pm_card_authenticationRequiredOnSetup', 'pm_card_authenticationRequiredSetupForOffSession'])(
      '%s: complete → succeeded, redirect_status=succeeded',
      async (pm) => {
        const { pi, redirectStatus, url } = await authenticate(pm, 'complete');
        expect(redirectStatus).toBe('succeeded');
        expect(pi.status).toBe('succeeded');
        await kit.event('payment_intent.succeeded', pi.id);
        const charge = await kit.stripe.charges.retrieve(String(pi.latest_charge));
        expect(charge.payment_method_details?.card?.three_d_secure).toMatchObject({ result: 'authenticated' });
        expect((await fetch(url)).status).toBe(409);
      },
    );

    test('tok_threeDSecure2Required requires action too', async () => {
      const pm = await kit.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_threeDSecure2Required' } });
      const pi = await kit.stripe.paymentIntents.create({ amount: 900, currency: 'usd', confirm: true, return_url: RETURN_URL, payment_method: pm.id });
      expect(pi.status).toBe('requires_action');
    });

    test.each([
      ['pm_card_authenticationRequiredChargeDeclinedInsufficientFunds', 'insufficient_funds'],
      ['pm_card_threeDSecureRequiredChargeDeclined', 'generic_decline'],
      ['pm_card_threeDSecureRequiredProcessingError', 'processing_error'],
    ])('%s: complete, then declined (%s)', async (pm, declineCode) => {
      const { pi, redirectStatus } = await authenticate(pm, 'complete');
      expect(redirectStatus).toBe('failed');
      expect(pi).toMatchObject({ status: 'requires_payment_method', last_payment_error: { decline_code: declineCode } });
      await kit.event('payment_intent.payment_failed', pi.id);
    });

    test('fail → requires_payment_method with payment_intent_authentication_failure', async () => {
      const { pi, redirectStatus } = await authenticate('pm_card_threeDSecure2Required', 'fail');
      expect(redirectStatus).toBe('failed');
      expect(pi).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'payment_intent_authentication_failure' } });
      await kit.event('payment_intent.payment_failed', pi.id);
    });

    test('without return_url, 3DS (and automatic payment methods) are refused before anything is stored', async () => {
      const err = await stripeError(kit.stripe.paymentIntents.create({ amount: 900, currency: 'usd', confirm: true, payment_method: 'pm_card_threeDSecure2Required', allowed_payment_method_types: ['card'] }));
      expect(err).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param: 'return_url' });
      const apm = await stripeError(kit.stripe.paymentIntents.create({ amount: 900, currency: 'usd', confirm: true, payment_method: 'pm_card_visa' }));
      expect(apm.message).toContain('you must provide a `return_url`');
      const never = await kit.stripe.paymentIntents.create({ amount: 900, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', automatic_payment_methods: { enabled: true, allow_redirects: 'never' } });
      expect(never.status).toBe('succeeded');
    });
  });

  test('create unconfirmed, confirm later, then cancel rules', async () => {
    const pi = await kit.stripe.paymentIntents.create({ amount: 700, currency: 'gbp', allowed_payment_method_types: ['card'], description: 'later' });
    expect(pi).toMatchObject({ status: 'requires_payment_method', automatic_payment_methods: null, allowed_payment_method_types: ['card'] });
    const missing = await stripeError(kit.stripe.paymentIntents.confirm(pi.id));
    expect(missing.code).toBe('payment_intent_unexpected_state');
    const confirmed = await kit.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect(confirmed.status).toBe('succeeded');
    const again = await stripeError(kit.stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' }));
    expect(again.message).toContain('already succeeded');
    const cancel = await stripeError(kit.stripe.paymentIntents.cancel(pi.id));
    expect(cancel).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
    const other = await kit.stripe.paymentIntents.create({ amount: 700, currency: 'gbp' });
    const canceled = await kit.stripe.paymentIntents.cancel(other.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    await kit.event('payment_intent.canceled', other.id);
  });

  test('expand[] latest_charge and payment_method', async () => {
    const pi = await create('pm_card_visa');
    const expanded = await kit.stripe.paymentIntents.retrieve(pi.id, { expand: ['latest_charge', 'payment_method'] });
    expect(expanded.latest_charge).toMatchObject({ object: 'charge', id: pi.latest_charge });
    expect(expanded.payment_method).toMatchObject({ object: 'payment_method', type: 'card', card: { last4: '4242', brand: 'visa' } });
    expectStripeSchema('payment_method', expanded.payment_method);
    const bad = await stripeError(kit.stripe.paymentIntents.retrieve(pi.id, { expand: ['nonsense'] }));
    expect(bad).toMatchObject({ statusCode: 400, param: 'expand[0]' });
  });

  test('validation: unknown params, missing params, amounts, unknown ids', async () => {
    const unknown = await stripeError(kit.stripe.paymentIntents.create({ amount: 900, currency: 'usd', capture_method: 'automatic_async' }));
    expect(unknown).toMatchObject({ statusCode: 400, param: 'capture_method' });
    const param = await stripeError(kit.stripe.paymentIntents.create({ amount: 900, currency: 'usd', setup_future_usage: 'off_session' }));
    expect(param).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'setup_future_usage' });
    expect(param.message).toContain('not supported by the sandbox');
    const missing = await stripeError(kit.stripe.paymentIntents.create({ currency: 'usd' } as never));
    expect(missing).toMatchObject({ code: 'parameter_missing', param: 'amount' });
    const small = await stripeError(kit.stripe.paymentIntents.create({ amount: 10, currency: 'usd' }));
    expect(small).toMatchObject({ code: 'amount_too_small', message: 'Amount must be at least $0.50 usd' });
    const none = await stripeError(kit.stripe.paymentIntents.retrieve('pi_nope'));
    expect(none).toMatchObject({ statusCode: 404, code: 'resource_missing', message: "No such payment_intent: 'pi_nope'" });
    const pm = await stripeError(create('pm_unknown'));
    expect(pm).toMatchObject({ statusCode: 404, param: 'payment_method' });
  });

  test('authentication: other keys are refused with a masked key; a missing key too', async () => {
    const live = stripeClient(kit.sandbox, 'sk_live_abcdefghijklmnop1234');
    const err = await stripeError(live.paymentIntents.retrieve('pi_x'));
    expect(err).toMatchObject({ statusCode: 401, type: 'StripeAuthenticationError' });
    expect(err.message).toBe(`Invalid API Key provided: sk_live_${'*'.repeat(16)}1234`);
    const res = await fetch(`${kit.sandbox.url}/v1/payment_intents/pi_x`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('You did not provide an API key');
  });

  test('unsupported endpoints answer Stripe 404 "Unrecognized request URL"', async () => {
    const err = await stripeError(kit.stripe.customers.create({ email: 'a@b.c' }));
    expect(err).toMatchObject({ statusCode: 404, type: 'StripeInvalidRequestError' });
    expect(err.message).toContain('Unrecognized request URL (POST: /v1/customers)');
    expect(err.message).toContain('not supported by the sandbox');
  });

  test('events can be retrieved by id', async () => {
    const pi = await create('pm_card_visa');
    const event = await kit.event('payment_intent.succeeded', pi.id);
    const fetched = await kit.stripe.events.retrieve(event.id);
    expect(fetched).toEqual(event);
  });
});
