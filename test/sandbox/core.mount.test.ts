import type { RunningSandbox } from '../../src/sandbox/core/sandbox.types';
import { startTestSandbox, TEST_CREDENTIALS } from '../helpers/sandbox.helpers';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());

describe('both providers are mounted on one server', () => {
  test('PayPal paths under /v1 reach PayPal, not Stripe', async () => {
    const basic = Buffer.from(`${TEST_CREDENTIALS.paypalClientId}:${TEST_CREDENTIALS.paypalClientSecret}`).toString('base64');
    const res = await fetch(`${sandbox.url}/v1/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ access_token: expect.any(String), token_type: 'Bearer' });
  });

  test('other /v1 paths are Stripe (its 401 without a key), and unknown pages 404', async () => {
    const res = await fetch(`${sandbox.url}/v1/payment_intents`, { method: 'POST' });
    expect(res.status).toBe(401);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
  });
});
