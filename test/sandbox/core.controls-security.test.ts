import Stripe from 'stripe';
import { callMatches } from '../../src/sandbox/core/call-pattern';
import type { RunningSandbox } from '../../src/sandbox/core/sandbox.types';
import { control, startTestSandbox } from '../helpers/sandbox.helpers';
import { stripeClient } from './stripe.kit';

let sandbox: RunningSandbox;
let stripe: Stripe;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  stripe = stripeClient(sandbox);
});
afterEach(() => control(sandbox, 'DELETE', '/faults'));
afterAll(() => sandbox.close());

/** Issue 12 item 7: a page the developer visits cannot drive the sandbox, and no caller regex runs. */
describe('sandbox control hardening', () => {
  test.each<[string, RequestInit]>([
    ['text/plain', { headers: { 'content-type': 'text/plain' }, body: '{"provider":"stripe","kind":"status","status":500}' }],
    ['a urlencoded form', { body: new URLSearchParams({ provider: 'stripe', kind: 'status' }) }],
    ['no body at all', {}],
  ])('refuses a state-changing control sent as %s (what a cross-site page can send without a preflight) with 415', async (_what, init) => {
    for (const path of ['/faults', '/paypal/tokens/expire', '/paypal/captures/X/reverse', '/webhooks/hold']) {
      const res = await fetch(`${sandbox.url}/__sandbox${path}`, { method: 'POST', ...init });
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: string }).error).toMatch(/accept only Content-Type: application\/json/);
    }
    expect((await control(sandbox, 'GET', '/faults')).body).toEqual([]);
  });

  test('reads stay open, and JSON controls work as before', async () => {
    expect((await fetch(`${sandbox.url}/__sandbox/faults`)).status).toBe(200);
    expect((await control(sandbox, 'POST', '/paypal/tokens/expire')).status).toBe(200);
  });

  test('refuses a regular expression as a fault match, quickly', async () => {
    const started = Date.now();
    const res = await control(sandbox, 'POST', '/faults', { provider: 'stripe', kind: 'latency', match: '(a+)+$' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'match' });
    expect(Date.now() - started).toBeLessThan(200);
  });

  test('matches a literal call or a glob within path segments', async () => {
    expect(callMatches('POST /v1/refunds', 'POST', '/v1/refunds')).toBe(true);
    expect(callMatches('POST /v1/refunds', 'GET', '/v1/refunds')).toBe(false);
    expect(callMatches('/v1/refunds', 'GET', '/v1/refunds')).toBe(true);
    expect(callMatches('POST /v2/payments/captures/*/refund', 'POST', '/v2/payments/captures/8MC585209K746392H/refund')).toBe(true);
    expect(callMatches('POST /v2/payments/captures/*/refund', 'POST', '/v2/payments/captures/a/b/refund')).toBe(false);
    expect(callMatches('POST /v1/payment_*', 'POST', '/v1/payment_intents')).toBe(true);
    expect(callMatches('POST /v1/payment_*', 'POST', '/v1/payment_intents/pi_1/confirm')).toBe(false);
    expect(callMatches(`POST /${'a'.repeat(30)}*b`, 'POST', `/${'a'.repeat(5000)}`)).toBe(false);

    await control(sandbox, 'POST', '/faults', { provider: 'stripe', kind: 'status', status: 503, match: 'POST /v1/payment_*' });
    await expect(stripe.paymentIntents.create({ amount: 3000, currency: 'usd' })).rejects.toMatchObject({ statusCode: 503 });
  });
});
