import { paypal, sdkError, startPayPalSandbox, orderBody, type TestSandbox } from './paypal.helpers';

describe('PayPal sandbox: OAuth client-credentials', () => {
  let sb: TestSandbox;
  beforeAll(async () => { sb = await startPayPalSandbox(); });
  afterAll(async () => { await sb.close(); });

  const tokenRequest = (id: string, secret: string, body = 'grant_type=client_credentials') => fetch(`${sb.url}/v1/oauth2/token`, {
    method: 'POST', body,
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
  });

  it('issues a token in PayPal\'s response shape', async () => {
    const res = await tokenRequest(sb.clientId, sb.clientSecret);
    expect(res.status).toBe(200);
    const body = await res.json() as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['access_token', 'app_id', 'expires_in', 'nonce', 'scope', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 32400 });
    expect(body.access_token).toMatch(/^A21AA/);
  });

  it('refuses bad client credentials with 401 invalid_client (also through the SDK)', async () => {
    const res = await tokenRequest(sb.clientId, 'wrong');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client', error_description: 'Client Authentication failed' });
    const env = new paypal.core.PayPalEnvironment(`${sb.clientId}-bad`, 'nope', sb.url, sb.url);
    const err = await sdkError(new paypal.core.PayPalHttpClient(env).execute(new paypal.orders.OrdersGetRequest('X')));
    expect(err.statusCode).toBe(401);
    expect(err.body.error).toBe('invalid_client');
  });

  it('refuses other grant types', async () => {
    const res = await tokenRequest(sb.clientId, sb.clientSecret, 'grant_type=password');
    expect(res.status).toBe(400);
    expect((await res.json() as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('requires a bearer token on REST calls, in PayPal\'s two 401 shapes', async () => {
    const none = await fetch(`${sb.url}/v2/checkout/orders/ABC`);
    expect(none.status).toBe(401);
    expect((await none.json() as { name: string }).name).toBe('AUTHENTICATION_FAILURE');
    const unknown = await fetch(`${sb.url}/v2/checkout/orders/ABC`, { headers: { authorization: 'Bearer A21AAnot-a-token' } });
    expect(unknown.status).toBe(401);
    expect((await unknown.json() as { error: string }).error).toBe('invalid_token');
  });

  it('lets the SDK reuse one token across calls', async () => {
    const client = sb.client();
    const before = (await sb.control('GET', '/stats')).body.tokensIssued as number;
    for (let i = 0; i < 3; i++) await client.execute(new paypal.orders.OrdersCreateRequest().requestBody(orderBody()));
    const after = (await sb.control('GET', '/stats')).body.tokensIssued as number;
    expect(after - before).toBe(1);
  });

  it('recovers when the sandbox expires every token (SDK retries once after a 401)', async () => {
    const client = sb.client();
    await client.execute(new paypal.orders.OrdersCreateRequest().requestBody(orderBody()));
    const before = (await sb.control('GET', '/stats')).body.tokensIssued as number;
    expect((await sb.control('POST', '/tokens/expire')).status).toBe(200);
    const res = await client.execute(new paypal.orders.OrdersCreateRequest().requestBody(orderBody()));
    expect(res.statusCode).toBe(201);
    expect((await sb.control('GET', '/stats')).body.tokensIssued).toBe(before + 1);
  });
});

describe('PayPal sandbox: token expiry', () => {
  let sb: TestSandbox;
  beforeAll(async () => { sb = await startPayPalSandbox({ tokenTtlSeconds: 1 }); });
  afterAll(async () => { await sb.close(); });

  it('answers 401 invalid_token once paypalTokenTtlSeconds have passed', async () => {
    const res = await fetch(`${sb.url}/v1/oauth2/token`, {
      method: 'POST', body: 'grant_type=client_credentials',
      headers: { authorization: `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const { access_token: token, expires_in: ttl } = await res.json() as { access_token: string; expires_in: number };
    expect(ttl).toBe(1);
    const fresh = await fetch(`${sb.url}/v2/checkout/orders/NOPE`, { headers: { authorization: `Bearer ${token}` } });
    expect(fresh.status).toBe(404);
    await new Promise((r) => setTimeout(r, 1100));
    const stale = await fetch(`${sb.url}/v2/checkout/orders/NOPE`, { headers: { authorization: `Bearer ${token}` } });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toEqual({ error: 'invalid_token', error_description: 'Access Token not found in cache' });
  });
});
