import type Stripe from 'stripe';
import { control, postForm } from '../helpers/sandbox.helpers';
import { expectStripeSchema } from './stripe.schema';
import { startStripeKit, stripeError, verify, type StripeKit } from './stripe.kit';

let kit: StripeKit;
beforeAll(async () => {
  kit = await startStripeKit();
});
afterAll(() => kit.close());

const newSession = (extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) =>
  kit.stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [
      { price_data: { currency: 'usd', unit_amount: 1250, product_data: { name: 'T-shirt <b>', description: 'Cotton & co' } }, quantity: 2 },
      { price_data: { currency: 'usd', unit_amount: 500, product_data: { name: 'Sticker' } }, quantity: 1 },
    ],
    success_url: 'https://shop.example/ok?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'https://shop.example/cancel',
    client_reference_id: 'order_1',
    metadata: { orderId: 'order_1' },
    payment_intent_data: { metadata: { orderId: 'order_1' } },
    ...extra,
  });

const card = (number: string, more: Record<string, string> = {}) => ({ email: 'buyer@example.com', card_number: number, exp: '12/34', cvc: '123', action: 'pay', ...more });

describe('Checkout Sessions and the hosted page', () => {
  test('create → open session with a sandbox url, no PaymentIntent yet', async () => {
    const s = await newSession();
    expect(s).toMatchObject({ object: 'checkout.session', mode: 'payment', status: 'open', payment_status: 'unpaid', amount_total: 3000, amount_subtotal: 3000, currency: 'usd', payment_intent: null, client_reference_id: 'order_1', livemode: false });
    expect(s.id).toMatch(/^cs_test_/);
    expect(s.url).toBe(`${kit.sandbox.url}/stripe/checkout/pay/${s.id}`);
    expect(s.expires_at - s.created).toBe(86400);
    expectStripeSchema('checkout.session', s);
    const items = await kit.stripe.checkout.sessions.listLineItems(s.id);
    expect(items.data.map((i) => [i.description, i.quantity, i.amount_total])).toEqual([['T-shirt <b>', 2, 2500], ['Sticker', 1, 500]]);
    // Raw JSON: the SDK turns `*_decimal` strings into Decimal objects.
    const raw = (await (await kit.raw('GET', `/v1/checkout/sessions/${s.id}/line_items`)).json()) as { data: unknown[] };
    for (const i of raw.data) expectStripeSchema('item', i);
  });

  test('the page shows the escaped items and total; a good card pays and redirects', async () => {
    const s = await newSession();
    const html = await (await fetch(s.url!)).text();
    expect(html).toContain('T-shirt &lt;b&gt;');
    expect(html).toContain('Cotton &amp; co');
    expect(html).toContain('$30.00');
    for (const name of ['email', 'card_number', 'exp', 'cvc']) expect(html).toContain(`name="${name}"`);
    const res = await postForm(s.url!, card('4242 4242 4242 4242'));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`https://shop.example/ok?session_id=${s.id}`);
    const paid = await kit.stripe.checkout.sessions.retrieve(s.id, { expand: ['payment_intent'] });
    expect(paid).toMatchObject({ status: 'complete', payment_status: 'paid', url: null, customer_details: { email: 'buyer@example.com' } });
    const pi = paid.payment_intent as Stripe.PaymentIntent;
    expect(pi).toMatchObject({ object: 'payment_intent', status: 'succeeded', amount: 3000, metadata: { orderId: 'order_1' } });
    expectStripeSchema('checkout.session', paid);
    const completed = await kit.event('checkout.session.completed', s.id);
    expect(completed.data.object).toMatchObject({ payment_status: 'paid', client_reference_id: 'order_1', metadata: { orderId: 'order_1' } });
    await kit.event('payment_intent.succeeded', pi.id);
    await kit.event('charge.succeeded', String(pi.latest_charge));
    // Never twice: the page now only says it is complete.
    const again = await postForm(s.url!, card('4242424242424242'));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('already complete');
  });

  test.each([
    ['4000000000000002', 'Your card was declined.'],
    ['4000000000009995', 'Your card has insufficient funds.'],
    ['4000000000000069', 'Your card has expired.'],
    ['4100000000000019', 'Your card was declined.'],
    ['4000008260003178', 'Your card has insufficient funds.'],
    ['4111111111111111', 'non test (live) card'],
  ])('card %s is declined on the page and the session stays open', async (number, message) => {
    const s = await newSession();
    const res = await postForm(s.url!, card(number));
    expect(res.status).toBe(402);
    expect(await res.text()).toContain(message.replace(/'/g, '&#39;'));
    const after = await kit.stripe.checkout.sessions.retrieve(s.id);
    expect(after).toMatchObject({ status: 'open', payment_status: 'unpaid' });
    expect(after.payment_intent).toMatch(/^pi_/);
    await kit.event('payment_intent.payment_failed', String(after.payment_intent));
    // A second attempt with a good card reuses the PaymentIntent and pays.
    expect((await postForm(s.url!, card('5555555555554444'))).status).toBe(303);
    expect((await kit.stripe.checkout.sessions.retrieve(s.id)).payment_intent).toBe(after.payment_intent);
  });

  test('3-D Secure cards are authenticated in place by the hosted page', async () => {
    const s = await newSession();
    expect((await postForm(s.url!, card('4000002500003155'))).status).toBe(303);
    expect((await kit.stripe.checkout.sessions.retrieve(s.id)).payment_status).toBe('paid');
  });

  test.each([
    [{ card_number: '4242424242424241' }, 'card_number', 'Your card number is incorrect.'],
    [{ card_number: '4242' }, 'card_number', 'Your card number is incomplete.'],
    [{ exp: '13/30' }, 'exp', 'expiration date is invalid'],
    [{ exp: '01/20' }, 'exp', 'expiration year is in the past'],
    [{ cvc: '1' }, 'cvc', 'security code is incomplete'],
    [{ email: 'nope' }, 'email', 'email address is invalid'],
  ])('invalid input %j re-shows the form with a %s error', async (override, fieldName, message) => {
    const s = await newSession();
    const res = await postForm(s.url!, card('4242424242424242', override as Record<string, string>));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(`id="${fieldName}-error"`);
    expect(html).toContain(message.replace(/'/g, '&#39;'));
    expect((await kit.stripe.checkout.sessions.retrieve(s.id)).status).toBe('open');
  });

  test('a scripted POST with only card_number and action pays, as CONTRACT §5 promises for curl', async () => {
    const s = await newSession();
    const res = await postForm(s.url!, { card_number: '4242424242424242', action: 'pay' });
    expect(res.status).toBe(303);
    expect((await kit.stripe.checkout.sessions.retrieve(s.id)).payment_status).toBe('paid');
  });

  test.each([['email'], ['exp'], ['cvc']])('a submitted but empty %s is still refused (a person left it blank)', async (fieldName) => {
    const s = await newSession();
    const res = await postForm(s.url!, card('4242424242424242', { [fieldName]: '' }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(`id="${fieldName}-error"`);
  });

  test('cancel redirects to cancel_url and leaves the session open', async () => {
    const s = await newSession();
    const res = await postForm(s.url!, { action: 'cancel' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('https://shop.example/cancel');
    expect((await kit.stripe.checkout.sessions.retrieve(s.id)).status).toBe('open');
  });

  test('expire via the API: webhook, url gone, page 410, second expire refused', async () => {
    const s = await newSession();
    const expired = await kit.stripe.checkout.sessions.expire(s.id);
    expect(expired).toMatchObject({ status: 'expired', url: null });
    await kit.event('checkout.session.expired', s.id);
    const page = await fetch(s.url!);
    expect(page.status).toBe(410);
    expect((await postForm(s.url!, card('4242424242424242'))).status).toBe(410);
    const err = await stripeError(kit.stripe.checkout.sessions.expire(s.id));
    expect(err).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
  });

  test('expire via the control, which refuses non-open sessions', async () => {
    const s = await newSession();
    expect((await control(kit.sandbox, 'POST', `/stripe/checkout/sessions/${s.id}/expire`)).status).toBe(200);
    await kit.event('checkout.session.expired', s.id);
    expect((await control(kit.sandbox, 'POST', `/stripe/checkout/sessions/${s.id}/expire`)).status).toBe(409);
    expect((await control(kit.sandbox, 'POST', '/stripe/checkout/sessions/cs_test_nope/expire')).status).toBe(404);
  });

  test('delayed payment: completed unpaid, then async_payment_succeeded / failed', async () => {
    for (const outcome of ['succeeded', 'failed'] as const) {
      const s = await newSession();
      expect((await control(kit.sandbox, 'POST', `/stripe/checkout/sessions/${s.id}/async`, { outcome })).status).toBe(409);
      const started = await control(kit.sandbox, 'POST', `/stripe/checkout/sessions/${s.id}/async`, { outcome: 'processing' });
      expect(started.body).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
      const completed = await kit.event('checkout.session.completed', s.id);
      expect(completed.data.object).toMatchObject({ payment_status: 'unpaid' });
      const pi = await kit.stripe.paymentIntents.retrieve(String(started.body.payment_intent));
      expect(pi.status).toBe('processing');
      await control(kit.sandbox, 'POST', `/stripe/checkout/sessions/${s.id}/async`, { outcome });
      const event = await kit.event(`checkout.session.async_payment_${outcome}`, s.id);
      expect(event.data.object).toMatchObject({ payment_status: outcome === 'succeeded' ? 'paid' : 'unpaid' });
      expect((await kit.stripe.paymentIntents.retrieve(pi.id)).status).toBe(outcome === 'succeeded' ? 'succeeded' : 'requires_payment_method');
    }
  });

  test('webhooks are signed: verified with the SDK, a tampered body fails', async () => {
    const s = await newSession();
    await postForm(s.url!, card('4242424242424242'));
    await kit.event('checkout.session.completed', s.id);
    const hook = kit.hooks.received.find((h) => h.json.type === 'checkout.session.completed' && h.json.data.object.id === s.id)!;
    expect(hook.headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verify(kit.stripe, hook).id).toBe(hook.json.id);
    expect(() => verify(kit.stripe, { ...hook, body: hook.body.replace('"paid"', '"unpaid"') })).toThrow(/signature/i);
  });

  test('validation mirrors Stripe', async () => {
    const mode = await stripeError(newSession({ mode: 'subscription' }));
    expect(mode).toMatchObject({ statusCode: 400, param: 'mode' });
    expect(mode.message).toContain('not supported by the sandbox');
    const price = await stripeError(newSession({ line_items: [{ price: 'price_123', quantity: 1 }] }));
    expect(price).toMatchObject({ code: 'parameter_unknown', param: 'line_items[0][price]' });
    const soon = await stripeError(newSession({ expires_at: Math.floor(Date.now() / 1000) + 600 }));
    expect(soon).toMatchObject({ param: 'expires_at' });
    const late = await stripeError(newSession({ expires_at: Math.floor(Date.now() / 1000) + 90000 }));
    expect(late).toMatchObject({ param: 'expires_at' });
    const ok = await newSession({ expires_at: Math.floor(Date.now() / 1000) + 3600, allowed_payment_method_types: ['card'] });
    expect(ok).toMatchObject({ status: 'open', payment_method_types: ['card'], allowed_payment_method_types: ['card'] });
    expect(await stripeError(newSession({ allowed_payment_method_types: ['klarna'] }))).toMatchObject({ param: 'allowed_payment_method_types[0]' });
    const noSuccess = await stripeError(newSession({ success_url: undefined }));
    expect(noSuccess).toMatchObject({ code: 'parameter_missing', param: 'success_url' });
    const yen = await kit.stripe.checkout.sessions.create({ mode: 'payment', success_url: 'http://localhost:3000/ok', line_items: [{ price_data: { currency: 'jpy', unit_amount: 1500, product_data: { name: 'Tea' } }, quantity: 1 }] });
    expect(yen).toMatchObject({ amount_total: 1500, currency: 'jpy' });
    expect(await (await fetch(yen.url!)).text()).toContain('¥1,500');
    const missing = await stripeError(kit.stripe.checkout.sessions.retrieve('cs_test_missing'));
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});
