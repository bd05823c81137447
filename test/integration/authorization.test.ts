import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import {
  collect,
  createOrder,
  errorCode,
  eventually,
  expectNoInternals,
  gql,
  startTestService,
  wsClient,
  type TestService,
} from '../helpers/service.helpers';

/**
 * Who may do what (CONTRACT §2), over real HTTP and a real graphql-ws socket:
 * no token, another order's token, the right token, the admin, a garbage bearer, a malformed header.
 */
describe('authorization matrix', () => {
  let ts: TestService;
  const clients: Client[] = [];

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off' });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await ts.close();
  });

  type Credential = 'none' | 'other' | 'right' | 'admin' | 'garbage' | 'malformed-basic' | 'malformed-empty-bearer' | 'malformed-two-words';

  /** The Authorization header value for a credential, given the order under test and another order. */
  function header(credential: Credential, right: string, other: string): Record<string, string> {
    switch (credential) {
      case 'none': return {};
      case 'other': return { authorization: `Bearer ${other}` };
      case 'right': return { authorization: `Bearer ${right}` };
      case 'admin': return { authorization: `Bearer ${ts.adminKey}` };
      case 'garbage': return { authorization: 'Bearer ot_this-is-not-a-token-of-any-order' };
      case 'malformed-basic': return { authorization: `Basic ${Buffer.from(`admin:${ts.adminKey}`).toString('base64')}` };
      case 'malformed-empty-bearer': return { authorization: 'Bearer ' };
      case 'malformed-two-words': return { authorization: `Bearer ${right} extra` };
    }
  }

  const ORDER = `query($id: ID!) { order(id: $id) { id status } }`;
  const ORDERS = `{ orders(first: 5) { totalCount } }`;
  const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;

  const orderCases: [Credential, string | null][] = [
    ['none', 'UNAUTHENTICATED'],
    ['other', 'FORBIDDEN'],
    ['right', null],
    ['admin', null],
    ['garbage', 'UNAUTHENTICATED'],
    ['malformed-basic', 'UNAUTHENTICATED'],
    ['malformed-empty-bearer', 'UNAUTHENTICATED'],
    ['malformed-two-words', 'UNAUTHENTICATED'],
  ];

  describe.each(orderCases)('order(id) with %s credentials', (credential, expected) => {
    it(expected ? `is refused with ${expected}` : 'returns the order', async () => {
      const right = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const other = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const res = await gql(ts.graphqlUrl, ORDER, { id: right.id }, undefined, header(credential, right.token, other.token));
      expectNoInternals(res);
      if (expected) {
        expect(errorCode(res)).toBe(expected);
        expect(res.data?.order ?? null).toBeNull();
      } else {
        expect(res.errors).toBeUndefined();
        expect(res.data!.order).toEqual({ id: right.id, status: 'CREATED' });
      }
    });
  });

  describe.each(orderCases)('cancelOrder with %s credentials', (credential, expected) => {
    it(expected ? `is refused with ${expected} and changes nothing` : 'cancels the order', async () => {
      const right = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const other = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const res = await gql(ts.graphqlUrl, CANCEL, { id: right.id }, undefined, header(credential, right.token, other.token));
      expectNoInternals(res);
      const after = await gql(ts.graphqlUrl, ORDER, { id: right.id }, ts.adminKey);
      if (expected) {
        expect(errorCode(res)).toBe(expected);
        expect(res.data).toBeNull();
        expect(after.data!.order.status).toBe('CREATED');
      } else {
        expect(res.errors).toBeUndefined();
        expect(res.data!.cancelOrder).toEqual({ id: right.id, status: 'CANCELED' });
        expect(after.data!.order.status).toBe('CANCELED');
      }
    });
  });

  const ordersCases: [Credential, string | null][] = [
    ['none', 'UNAUTHENTICATED'],
    ['other', 'FORBIDDEN'],
    ['right', 'FORBIDDEN'],
    ['admin', null],
    ['garbage', 'UNAUTHENTICATED'],
    ['malformed-basic', 'UNAUTHENTICATED'],
    ['malformed-empty-bearer', 'UNAUTHENTICATED'],
    ['malformed-two-words', 'UNAUTHENTICATED'],
  ];

  describe.each(ordersCases)('orders (admin only) with %s credentials', (credential, expected) => {
    it(expected ? `is refused with ${expected}` : 'lists orders', async () => {
      const right = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const other = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const res = await gql(ts.graphqlUrl, ORDERS, undefined, undefined, header(credential, right.token, other.token));
      expectNoInternals(res);
      if (expected) {
        expect(errorCode(res)).toBe(expected);
        expect(res.data).toBeNull();
      } else {
        expect(res.errors).toBeUndefined();
        expect(res.data!.orders.totalCount).toBeGreaterThanOrEqual(2);
      }
    });
  });

  it('createOrder and products stay public, and an admin or order token does not change them', async () => {
    const { token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    for (const auth of [undefined, token, ts.adminKey]) {
      const products = await gql(ts.graphqlUrl, '{ products { sku } }', undefined, auth);
      expect(products.errors).toBeUndefined();
      const created = await gql(ts.graphqlUrl, 'mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 1 }] }) { order { amount } } }', undefined, auth);
      expect(created.data!.createOrder.order.amount).toBe(1200);
    }
  });

  it('the access token of a canceled order still reads that order and nothing else', async () => {
    const right = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const other = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    await gql(ts.graphqlUrl, CANCEL, { id: right.id }, right.token);
    expect((await gql(ts.graphqlUrl, ORDER, { id: right.id }, right.token)).data!.order.status).toBe('CANCELED');
    expect(errorCode(await gql(ts.graphqlUrl, ORDER, { id: other.id }, right.token))).toBe('FORBIDDEN');
  });

  describe('orderStatusChanged over graphql-ws', () => {
    const SUBSCRIPTION = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { orderId status previousStatus source } }`;

    /** A client whose connection params carry exactly `params` (for values wsClient would not build). */
    function rawClient(params: Record<string, unknown>): Client {
      const client = createClient({ url: ts.wsUrl, webSocketImpl: WebSocket, connectionParams: params, retryAttempts: 0, lazy: true });
      clients.push(client);
      return client;
    }

    function client(token?: string): Client {
      const c = wsClient(ts.wsUrl, token);
      clients.push(c);
      return c;
    }

    it.each([
      ['a garbage bearer', { authorization: 'Bearer ot_this-is-not-a-token-of-any-order' }],
      ['a malformed value', { authorization: 'Basic abc' }],
      ['a non-string value', { authorization: 42 }],
    ])('refuses the connection with 4403 for %s in the connection params', async (_what, params) => {
      const { id } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const sub = collect(rawClient(params), SUBSCRIPTION, { id });
      await eventually(async () => sub.done, 'the connection to be refused');
      expect((sub.failure as { code?: number }).code).toBe(4403);
      expect(sub.results).toEqual([]);
    });

    it('answers UNAUTHENTICATED without credentials and FORBIDDEN for another order’s token, and delivers nothing', async () => {
      const right = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const other = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const anonymous = collect(client(), SUBSCRIPTION, { id: right.id });
      const forbidden = collect(client(other.token), SUBSCRIPTION, { id: right.id });
      const admin = collect(client(ts.adminKey), SUBSCRIPTION, { id: right.id });
      await eventually(async () => anonymous.done && forbidden.done, 'both refused subscriptions to complete');
      expect(anonymous.results).toHaveLength(1);
      expect(anonymous.results[0].errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(forbidden.results).toHaveLength(1);
      expect(forbidden.results[0].errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
      for (const r of [...anonymous.results, ...forbidden.results]) {
        expect(r.errors?.[0].extensions).not.toHaveProperty('stacktrace');
      }
      await eventually(async () => ts.service.services.pubSub.subscriberCount(right.id) === 1, 'the admin subscription to listen');
      await gql(ts.graphqlUrl, CANCEL, { id: right.id }, right.token);
      await admin.waitFor((r) => (r.data as { orderStatusChanged?: { status: string } })?.orderStatusChanged?.status === 'CANCELED');
      expect(anonymous.results).toHaveLength(1);
      expect(forbidden.results).toHaveLength(1);
    });

    it('answers NOT_FOUND for an order that does not exist (admin)', async () => {
      const sub = collect(client(ts.adminKey), SUBSCRIPTION, { id: '00000000-0000-4000-8000-000000000000' });
      await eventually(async () => sub.done, 'the subscription to complete');
      expect(sub.results[0].errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('delivers events to the right token and to the admin', async () => {
      const right = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const owner = collect(client(right.token), SUBSCRIPTION, { id: right.id });
      const admin = collect(client(ts.adminKey), SUBSCRIPTION, { id: right.id });
      await eventually(async () => ts.service.services.pubSub.subscriberCount(right.id) === 2, 'both subscriptions to listen');
      await gql(ts.graphqlUrl, CANCEL, { id: right.id }, ts.adminKey);
      const expected = { orderId: right.id, status: 'CANCELED', previousStatus: 'CREATED', source: 'mutation:cancelOrder' };
      for (const sub of [owner, admin]) {
        const result = await sub.waitFor((r) => Boolean(r.data));
        expect(result).toEqual({ data: { orderStatusChanged: expected } });
      }
    });
  });
});
