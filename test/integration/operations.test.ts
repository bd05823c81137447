import { CATALOG_SEED } from '../../src/domain/catalog.seed';
import {
  createOrder,
  errorCode,
  expectNoInternals,
  gql,
  ORDER_FIELDS,
  startTestService,
  type TestService,
} from '../helpers/service.helpers';

/** Each public operation over real HTTP: its happy path and every error code it can produce. */
describe('GraphQL operations over HTTP', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off' });
  });

  afterAll(async () => {
    await ts.close();
  });

  const ORDER_QUERY = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
  const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status events { type fromStatus toStatus source } } }`;

  describe('products', () => {
    it('lists exactly the active catalog, with server prices, without credentials', async () => {
      const res = await gql<{ products: { sku: string; name: string; unitAmount: number; currency: string }[] }>(
        ts.graphqlUrl,
        '{ products { sku name unitAmount currency } }',
      );
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      const expected = CATALOG_SEED.filter((p) => p.active).map(({ sku, name, unitAmount, currency }) => ({ sku, name, unitAmount, currency }));
      expect(res.data!.products).toHaveLength(expected.length);
      expect(res.data!.products).toEqual(expect.arrayContaining(expected));
      expect(res.data!.products.map((p) => p.sku)).not.toContain('RETIRED-CAP');
    });

    it('answers a GET request too', async () => {
      const res = await fetch(`${ts.graphqlUrl}?query=${encodeURIComponent('{ products { sku } }')}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { data: { products: unknown[] } };
      expect(body.data.products.length).toBeGreaterThan(0);
    });
  });

  describe('createOrder', () => {
    it('creates a CREATED order priced from the catalog and returns an access token once', async () => {
      const res = await gql(
        ts.graphqlUrl,
        `mutation($input: CreateOrderInput!) { createOrder(input: $input) { accessToken order { ${ORDER_FIELDS} } } }`,
        { input: { items: [{ sku: 'TSHIRT-BLK', quantity: 2 }, { sku: 'MUG-WHT', quantity: 1 }], customerEmail: ' buyer@example.com ' } },
      );
      expect(res.errors).toBeUndefined();
      const { order, accessToken } = res.data!.createOrder;
      expect(accessToken).toMatch(/^ot_[A-Za-z0-9_-]{40,}$/);
      expect(order).toMatchObject({
        status: 'CREATED',
        currency: 'USD',
        amount: 2 * 2500 + 1200,
        amountRefunded: 0,
        customerEmail: 'buyer@example.com',
        payments: [],
        refunds: [],
      });
      expect(order.items).toEqual([
        { sku: 'TSHIRT-BLK', name: 'Black T-shirt', unitAmount: 2500, quantity: 2, lineAmount: 5000 },
        { sku: 'MUG-WHT', name: 'White mug', unitAmount: 1200, quantity: 1, lineAmount: 1200 },
      ]);
      expect(order.events).toEqual([
        expect.objectContaining({ type: 'ORDER_CREATED', fromStatus: null, toStatus: 'CREATED', source: 'mutation:createOrder' }),
      ]);
      expect(Number.isNaN(Date.parse(order.createdAt))).toBe(false);
    });

    it('merges the same SKU given twice into one line', async () => {
      const res = await gql(
        ts.graphqlUrl,
        `mutation($input: CreateOrderInput!) { createOrder(input: $input) { order { amount items { sku quantity lineAmount } } } }`,
        { input: { items: [{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'MUG-WHT', quantity: 2 }] } },
      );
      expect(res.data!.createOrder.order).toEqual({ amount: 3600, items: [{ sku: 'MUG-WHT', quantity: 3, lineAmount: 3600 }] });
    });

    it('answers BAD_USER_INPUT naming the field for a domain validation failure', async () => {
      const res = await gql(ts.graphqlUrl, `mutation { createOrder(input: { items: [{ sku: "NOPE-1", quantity: 1 }] }) { accessToken } }`);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions!.field).toBe('input.items[0].sku');
      expect(res.errors![0].message).toContain('NOPE-1');
      expect(res.data).toBeNull();
      expectNoInternals(res);
    });

    it('answers BAD_USER_INPUT for a document that does not validate', async () => {
      const res = await gql(ts.graphqlUrl, `mutation { createOrder(input: { items: [{ sku: "MUG-WHT" }] }) { accessToken } }`);
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(/quantity/);
      expectNoInternals(res);
    });
  });

  describe('order', () => {
    it('returns the order with items and events to its token holder and to the admin', async () => {
      const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'TEA-EARLGREY', quantity: 3 }]);
      for (const credential of [token, ts.adminKey]) {
        const res = await gql(ts.graphqlUrl, ORDER_QUERY, { id }, credential);
        expect(res.errors).toBeUndefined();
        expect(res.data!.order).toMatchObject({ id, status: 'CREATED', currency: 'GBP', amount: 2550, items: [{ sku: 'TEA-EARLGREY', quantity: 3 }] });
      }
    });

    it('returns null for an unknown id (admin), UNAUTHENTICATED without credentials, FORBIDDEN with another token', async () => {
      const mine = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const other = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const unknown = await gql(ts.graphqlUrl, ORDER_QUERY, { id: '00000000-0000-4000-8000-000000000000' }, ts.adminKey);
      expect(unknown.errors).toBeUndefined();
      expect(unknown.data!.order).toBeNull();
      const anonymous = await gql(ts.graphqlUrl, ORDER_QUERY, { id: mine.id });
      expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
      const forbidden = await gql(ts.graphqlUrl, ORDER_QUERY, { id: mine.id }, other.token);
      expect(errorCode(forbidden)).toBe('FORBIDDEN');
      expect(forbidden.data!.order).toBeNull();
      const badToken = await gql(ts.graphqlUrl, ORDER_QUERY, { id: mine.id }, 'ot_not-a-real-token');
      expect(errorCode(badToken)).toBe('UNAUTHENTICATED');
      for (const res of [anonymous, forbidden, badToken]) expectNoInternals(res);
    });
  });

  describe('orders', () => {
    it('lists orders newest first for the admin', async () => {
      const a = await createOrder(ts.graphqlUrl, [{ sku: 'STICKER-PACK', quantity: 1 }]);
      const b = await createOrder(ts.graphqlUrl, [{ sku: 'STICKER-PACK', quantity: 2 }]);
      const res = await gql(ts.graphqlUrl, '{ orders(first: 2) { totalCount edges { cursor node { id amount } } pageInfo { hasNextPage endCursor } } }', undefined, ts.adminKey);
      expect(res.errors).toBeUndefined();
      expect(res.data!.orders.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([b.id, a.id]);
      expect(res.data!.orders.totalCount).toBeGreaterThanOrEqual(2);
    });

    it('is UNAUTHENTICATED without credentials, FORBIDDEN for an order token, BAD_USER_INPUT for a bad argument', async () => {
      const { token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const anonymous = await gql(ts.graphqlUrl, '{ orders { totalCount } }');
      expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
      const forbidden = await gql(ts.graphqlUrl, '{ orders { totalCount } }', undefined, token);
      expect(errorCode(forbidden)).toBe('FORBIDDEN');
      const bad = await gql(ts.graphqlUrl, '{ orders(first: 0) { totalCount } }', undefined, ts.adminKey);
      expect(errorCode(bad)).toBe('BAD_USER_INPUT');
      const badStatus = await gql(ts.graphqlUrl, '{ orders(status: SHIPPED) { totalCount } }', undefined, ts.adminKey);
      expect(errorCode(badStatus)).toBe('BAD_USER_INPUT');
      for (const res of [anonymous, forbidden, bad, badStatus]) expectNoInternals(res);
    });
  });

  describe('cancelOrder', () => {
    it('cancels a CREATED order and records the change with its source', async () => {
      const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const res = await gql(ts.graphqlUrl, CANCEL, { id }, token);
      expect(res.errors).toBeUndefined();
      expect(res.data!.cancelOrder.status).toBe('CANCELED');
      expect(res.data!.cancelOrder.events.at(-1)).toEqual({ type: 'STATUS_CHANGED', fromStatus: 'CREATED', toStatus: 'CANCELED', source: 'mutation:cancelOrder' });
    });

    it('answers CONFLICT for an order already canceled and writes nothing', async () => {
      const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      await gql(ts.graphqlUrl, CANCEL, { id }, token);
      const before = await gql(ts.graphqlUrl, ORDER_QUERY, { id }, ts.adminKey);
      const again = await gql(ts.graphqlUrl, CANCEL, { id }, ts.adminKey);
      expect(errorCode(again)).toBe('CONFLICT');
      expect(again.errors![0].message).toMatch(/CANCELED/);
      expect(again.data).toBeNull();
      expectNoInternals(again);
      const after = await gql(ts.graphqlUrl, ORDER_QUERY, { id }, ts.adminKey);
      expect(after.data!.order).toEqual(before.data!.order);
      expect(after.data!.order.events).toHaveLength(2);
    });

    it('answers NOT_FOUND (admin), UNAUTHENTICATED (no credentials) and FORBIDDEN (another token), changing nothing', async () => {
      const mine = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const other = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const missing = await gql(ts.graphqlUrl, CANCEL, { id: '00000000-0000-4000-8000-000000000000' }, ts.adminKey);
      expect(errorCode(missing)).toBe('NOT_FOUND');
      const anonymous = await gql(ts.graphqlUrl, CANCEL, { id: mine.id });
      expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
      const forbidden = await gql(ts.graphqlUrl, CANCEL, { id: mine.id }, other.token);
      expect(errorCode(forbidden)).toBe('FORBIDDEN');
      for (const res of [missing, anonymous, forbidden]) expectNoInternals(res);
      const after = await gql(ts.graphqlUrl, ORDER_QUERY, { id: mine.id }, ts.adminKey);
      expect(after.data!.order.status).toBe('CREATED');
      expect(after.data!.order.events).toHaveLength(1);
    });
  });
});
