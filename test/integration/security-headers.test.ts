import { startTestService, type TestService } from '../helpers/service.helpers';

/** Issue 12 item 8: helmet's headers everywhere, HSTS only in production, a JSON 404. */
describe('security headers and unknown routes', () => {
  const services: TestService[] = [];
  afterAll(async () => {
    await Promise.all(services.map((s) => s.close()));
  });

  async function start(env: Record<string, string> = {}) {
    const ts = await startTestService({ SANDBOX: 'off', ...env });
    services.push(ts);
    return ts;
  }

  it('sends nosniff on API answers and no HSTS outside production', async () => {
    const ts = await start();
    for (const res of [await fetch(`${ts.url}/healthz`), await fetch(ts.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ products { sku } }"}' })]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('gives a webhook delivery (plain node:http path, or Express for a chunked body) the same headers as every other answer', async () => {
    const ts = await start();
    const health = await fetch(`${ts.url}/healthz`);
    const sized = await fetch(`${ts.url}/webhooks/stripe`, { method: 'POST', headers: { 'stripe-signature': 't=1,v1=x' }, body: '{}' });
    const chunked = await fetch(`${ts.url}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'stripe-signature': 't=1,v1=x' },
      body: new Blob(['{}']).stream(),
      duplex: 'half',
    } as RequestInit);
    const helmetHeaders = [...health.headers.keys()].filter((name) => name.startsWith('x-') || name.includes('policy'));
    expect(helmetHeaders).toContain('x-content-type-options');
    for (const res of [sized, chunked]) {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      for (const name of helmetHeaders) expect([name, res.headers.get(name)]).toEqual([name, health.headers.get(name)]);
    }
    expect(await sized.json()).toEqual(await chunked.json());
  });

  it('sends HSTS in production', async () => {
    const ts = await start({ NODE_ENV: 'production', PUBLIC_URL: 'https://pay.example.com', LOG_LEVEL: 'silent' });
    const res = await fetch(`${ts.url}/healthz`);
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers an unknown route with a JSON 404 naming it, not an HTML page', async () => {
    const ts = await start();
    for (const [method, path] of [['GET', '/nope'], ['POST', '/api/v1/orders'], ['GET', '/webhooks']] as const) {
      const res = await fetch(`${ts.url}${path}?token=secret`, { method });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await res.json()) as { error: string };
      expect(body.error).toBe(`No route for ${method} ${path}`);
    }
  });
});
