import type { Client } from 'graphql-ws';
import { createLogger } from '../../src/logging/logger';
import { captureLogs, collect, countOrders, createOrder, errorCode, eventually, gql, startTestService, wsClient, type TestService } from '../helpers/service.helpers';
import { rawSocket, wsRun } from '../helpers/ws.helpers';

/** `fragment F<n> on Product { ...F<n-1> ...F<n-1> sku }`: each level doubles the work of a naive walker. */
function fragmentBomb(levels: number): string {
  const fragments = ['fragment F0 on Product { sku name }'];
  for (let i = 1; i < levels; i++) fragments.push(`fragment F${i} on Product { ...F${i - 1} ...F${i - 1} sku }`);
  return `{ products { ...F${levels - 1} } } ${fragments.join(' ')}`;
}

const CREATE = 'mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 1 }] }) { order { id } } }';

/** Issue 12, items 1–3: one request must not stall the service, and WebSocket gets what HTTP gets. */
describe('GraphQL hardening', () => {
  const clients: Client[] = [];
  const services: TestService[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all(services.map((s) => s.close()));
  });

  async function start(env: Record<string, string> = {}, logs?: ReturnType<typeof captureLogs>) {
    const ts = await startTestService({ SANDBOX: 'off', ...env }, {}, logs ? { logger: createLogger('info', logs.stream) } : {});
    services.push(ts);
    return ts;
  }

  function client(ts: TestService, token?: string): Client {
    const c = wsClient(ts.wsUrl, token);
    clients.push(c);
    return c;
  }

  describe('defaults', () => {
    let ts: TestService;
    beforeAll(async () => {
      ts = await start();
    });

    it.each([25, 40])('refuses a %i-level fragment bomb with a clear error within 100 ms while /healthz stays responsive', async (levels) => {
      const query = fragmentBomb(levels);
      // Median of five: the machine running the suite is shared; a naive walker took seconds for 25 levels and never ended for 40.
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const [res, health] = await Promise.all([gql(ts.graphqlUrl, query), fetch(`${ts.url}/healthz`)]);
        times.push(performance.now() - started);
        expect(res.status).toBe(400);
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        expect(res.errors![0].message).toMatch(/too complex: cost \d+ exceeds the maximum of 50000/);
        expect(health.status).toBe(200);
      }
      expect(times.sort((a, b) => a - b)[2]).toBeLessThan(100);
    });

    it('refuses a fragment cycle as a validation error, not a 500', async () => {
      const res = await gql(ts.graphqlUrl, 'fragment A on Query { ...B } fragment B on Query { ...A } { ...A }');
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(/Cannot spread fragment "A" within itself/);
    });

    it('refuses more aliases than GRAPHQL_MAX_ALIASES before running any of them', async () => {
      const aliases = Array.from({ length: 3000 }, (_, i) => `o${i}: products { sku }`).join(' ');
      const res = await gql(ts.graphqlUrl, `{ ${aliases} }`);
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      // 3 000 aliases are ~9 000 tokens: the parser stops before building the document.
      expect(res.errors![0].message).toMatch(/contains more tha[nt] 2000 tokens/);
      const fewer = Array.from({ length: 16 }, (_, i) => `o${i}: products { sku }`).join(' ');
      const refused = await gql(ts.graphqlUrl, `{ ${fewer} }`);
      expect(refused.errors![0].message).toMatch(/16 aliases; at most 15 are allowed \(GRAPHQL_MAX_ALIASES\)/);
    });

    it('runs one mutation per request, unless the caller is the admin', async () => {
      const before = await countOrders(ts);
      const two = 'mutation { a: createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 1 }] }) { accessToken } b: createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 1 }] }) { accessToken } }';
      const refused = await gql(ts.graphqlUrl, two);
      expect(refused.status).toBe(400);
      expect(errorCode(refused)).toBe('BAD_USER_INPUT');
      expect(refused.errors![0].message).toMatch(/at most 1 mutation \(this one has 2\)/);
      expect(await countOrders(ts)).toBe(before);
      const overWs = await wsRun(client(ts), two);
      expect(overWs.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(await countOrders(ts)).toBe(before);
      const admin = await gql(ts.graphqlUrl, two, undefined, ts.adminKey);
      expect(admin.errors).toBeUndefined();
      expect(await countOrders(ts)).toBe(before + 2);
    });

    it('gives WebSocket the same cost, alias and depth refusals as HTTP', async () => {
      const c = client(ts);
      const bomb = await wsRun(c, fragmentBomb(40));
      expect(bomb.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      expect(bomb.errors?.[0].message).toMatch(/too complex: cost \d+ exceeds the maximum of 50000/);
      const aliases = Array.from({ length: 16 }, (_, i) => `o${i}: products { sku }`).join(' ');
      const http = await gql(ts.graphqlUrl, `{ ${aliases} }`);
      const ws = await wsRun(c, `{ ${aliases} }`);
      expect(ws.errors?.map((e) => [e.message, e.extensions?.code])).toEqual(http.errors?.map((e) => [e.message, e.extensions?.code]));
    });

    it('answers unknown fields and bad variables over WebSocket as client mistakes, and logs no error', async () => {
      const logs = captureLogs();
      const own = await start({}, logs);
      const c = client(own);
      const unknown = await wsRun(c, '{ products { skuu } }');
      expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(unknown.errors?.[0].message).toMatch(/Cannot query field "skuu" on type "Product"/);
      const badVariable = await wsRun(c, 'query($id: ID!) { order(id: $id) { id } }', {});
      expect(badVariable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      const ok = await wsRun(c, '{ products { sku } }');
      expect(ok.results[0].data.products.length).toBeGreaterThan(0);
      expect(logs.lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
    });
  });

  describe('in production', () => {
    let ts: TestService;
    beforeAll(async () => {
      ts = await start({ NODE_ENV: 'production', PUBLIC_URL: 'https://pay.example.com', LOG_LEVEL: 'silent' });
    });

    it('refuses introspection over HTTP and WebSocket alike', async () => {
      const http = await gql(ts.graphqlUrl, '{ __schema { types { name } } }');
      expect(http.status).toBe(400);
      expect(http.data ?? null).toBeNull();
      const ws = await wsRun(client(ts), '{ __schema { types { name } } }');
      expect(ws.results).toEqual([]);
      expect(ws.errors?.[0].message).toMatch(/introspection/i);
      expect(ws.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('gives no field suggestions on either transport', async () => {
      const http = await gql(ts.graphqlUrl, '{ products { skuu } }');
      expect(http.errors![0].message).toBe('Cannot query field "skuu" on type "Product".');
      const ws = await wsRun(client(ts), '{ products { skuu } }');
      expect(ws.errors?.[0].message).toBe('Cannot query field "skuu" on type "Product".');
    });
  });

  describe('rate limit by operation', () => {
    it('counts every root field, so aliasing does not multiply a request budget', async () => {
      const ts = await start({ RATE_LIMIT_PER_MINUTE: '5' });
      const six = `{ ${Array.from({ length: 6 }, (_, i) => `p${i}: products { sku }`).join(' ')} }`;
      const res = await fetch(ts.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: six }) });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
    });

    it('applies the same budget over WebSocket: the 6th createOrder on one socket is refused', async () => {
      const ts = await start({ RATE_LIMIT_PER_MINUTE: '5' });
      const c = client(ts);
      const outcomes = [];
      for (let i = 0; i < 6; i++) outcomes.push(await wsRun(c, CREATE));
      expect(outcomes.slice(0, 5).every((o) => o.errors === undefined && o.results[0].data?.createOrder)).toBe(true);
      expect(outcomes[5].errors?.[0].extensions?.code).toBe('RATE_LIMITED');
      expect(outcomes[5].errors?.[0].message).toMatch(/at most 5 requests per minute/);
      // HTTP shares the budget: the same client is already over it there too.
      expect(errorCode(await gql(ts.graphqlUrl, '{ products { sku } }'))).toBe('RATE_LIMITED');
      expect(await countOrders(ts)).toBe(5);
    });
  });

  describe('WebSocket connection limits', () => {
    it('caps subscriptions per connection', async () => {
      const ts = await start({ WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2' });
      const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const c = client(ts, token);
      const subscription = 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { status } }';
      const open = [collect(c, subscription, { id }), collect(c, subscription, { id })];
      await eventually(async () => ts.service.services.pubSub.subscriberCount(id) === 2, 'two subscriptions to listen');
      const third = await wsRun(c, subscription, { id });
      expect(third.errors?.[0].message).toMatch(/At most 2 operations may run on one connection \(WS_MAX_SUBSCRIPTIONS_PER_CONNECTION\)/);
      expect(ts.service.services.pubSub.subscriberCount(id)).toBe(2);
      await gql(ts.graphqlUrl, 'mutation($id: ID!) { cancelOrder(orderId: $id) { id } }', { id }, token);
      for (const sub of open) await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
    });

    it('caps connections per client: the one over WS_MAX_CONNECTIONS_PER_CLIENT is refused with 429, and a closed one frees its place', async () => {
      const ts = await start({ WS_MAX_CONNECTIONS_PER_CLIENT: '3' });
      const sockets = [0, 1, 2].map(() => rawSocket(ts.wsUrl, { authorization: `Bearer ${ts.adminKey}` }));
      try {
        for (const s of sockets) expect(await s.acked).toBe('acked');
        const fourth = rawSocket(ts.wsUrl, { authorization: `Bearer ${ts.adminKey}` });
        expect(await fourth.acked).toEqual({ status: 429 });
        sockets[0].close();
        await sockets[0].closed;
        await eventually(async () => {
          const again = rawSocket(ts.wsUrl, { authorization: `Bearer ${ts.adminKey}` });
          const result = await again.acked;
          if (result === 'acked') sockets.push(again);
          else again.close();
          return result === 'acked';
        }, 'a place to free up');
      } finally {
        for (const s of sockets) s.close();
      }
    });

    it('closes a connection without authorization after WS_ANONYMOUS_TIMEOUT_SECONDS; an authorised one stays', async () => {
      const ts = await start({ WS_ANONYMOUS_TIMEOUT_SECONDS: '1' });
      const anonymous = rawSocket(ts.wsUrl);
      const admin = rawSocket(ts.wsUrl, { authorization: `Bearer ${ts.adminKey}` });
      try {
        expect(await anonymous.acked).toBe('acked');
        expect(await admin.acked).toBe('acked');
        const started = Date.now();
        expect(await anonymous.closed).toEqual({ code: 4001, reason: 'Unauthenticated connection timed out' });
        expect(Date.now() - started).toBeLessThan(3000);
        expect(admin.socket.readyState).toBe(admin.socket.OPEN);
      } finally {
        anonymous.close();
        admin.close();
      }
    });
  });
});
