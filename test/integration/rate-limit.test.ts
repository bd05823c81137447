import { loadConfig } from '../../src/config/config';
import { countOrders, gql, startTestService, type TestService } from '../helpers/service.helpers';

const CREATE = `mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 1 }] }) { order { id } } }`;

describe('rate limiting of /graphql', () => {
  let service: TestService;
  afterEach(async () => service?.close());

  it('answers RATE_LIMITED with Retry-After once a client exceeds RATE_LIMIT_PER_MINUTE, and writes nothing more', async () => {
    service = await startTestService({ SANDBOX: 'off', RATE_LIMIT_PER_MINUTE: '5' });
    for (let i = 0; i < 5; i++) expect((await gql(service.graphqlUrl, CREATE)).errors).toBeUndefined();
    const res = await fetch(service.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: CREATE }) });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(body.errors[0].message).toMatch(/at most 5 requests per minute/);
    // The admin key is not throttled, so operators can still look.
    expect(await countOrders(service)).toBe(5);
  });

  it('does not count provider webhooks, which must always be received', async () => {
    service = await startTestService({ SANDBOX: 'off', RATE_LIMIT_PER_MINUTE: '1' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${service.url}/webhooks/stripe`, { method: 'POST', body: '{}' })).status);
    expect(statuses).not.toContain(429);
  });
});

describe('RATE_LIMIT_PER_MINUTE configuration', () => {
  it('defaults to 1200, accepts 0 (off), and names the variable when invalid', () => {
    expect(loadConfig({}).limits.requestsPerMinute).toBe(1200);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).limits.requestsPerMinute).toBe(0);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });
});
