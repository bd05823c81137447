import {
  countOrders,
  errorCode,
  expectNoInternals,
  gql,
  ORDER_FIELDS,
  startTestService,
  type GqlResponse,
  type TestService,
} from '../helpers/service.helpers';

const MAX_BODY_BYTES = 4096;

/** MAX_BODY_BYTES, GRAPHQL_MAX_DEPTH and GRAPHQL_MAX_COMPLEXITY: refused with a clear message, nothing written. */
describe('request limits', () => {
  describe('body size', () => {
    let ts: TestService;

    beforeAll(async () => {
      ts = await startTestService({ SANDBOX: 'off', MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
    });

    afterAll(async () => {
      await ts.close();
    });

    it('answers 413 with the limit in the message for a body over MAX_BODY_BYTES, and writes nothing', async () => {
      const before = await countOrders(ts);
      const items = Array.from({ length: 100 }, () => ({ sku: 'STICKER-PACK', quantity: 1 }));
      const body = JSON.stringify({
        query: 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { accessToken } }',
        variables: { input: { items, customerEmail: `${'a'.repeat(1000)}@example.com` } },
      });
      expect(Buffer.byteLength(body)).toBeGreaterThan(MAX_BODY_BYTES);
      const res = await fetch(ts.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(413);
      const json = (await res.json()) as GqlResponse;
      expect(json.errors).toEqual([{ message: `Request body exceeds the limit of ${MAX_BODY_BYTES} bytes`, extensions: { code: 'BAD_USER_INPUT' } }]);
      expect(await countOrders(ts)).toBe(before);
    });

    it('still accepts a body just under the limit', async () => {
      const query = `mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 1 }] }) { order { amount } } }`;
      const padding = ' '.repeat(MAX_BODY_BYTES - JSON.stringify({ query }).length - 10);
      const res = await gql(ts.graphqlUrl, query + padding);
      expect(res.errors).toBeUndefined();
      expect(res.data!.createOrder.order.amount).toBe(1200);
    });
  });

  describe('depth and complexity', () => {
    let ts: TestService;

    beforeAll(async () => {
      ts = await startTestService({ SANDBOX: 'off', GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_COMPLEXITY: '500', GRAPHQL_MAX_ALIASES: '50' });
    });

    afterAll(async () => {
      await ts.close();
    });

    /** Asserts a clean BAD_USER_INPUT with HTTP 400 that names the limit, and that no order was written. */
    async function expectRefused(query: string, message: RegExp, token?: string) {
      const before = await countOrders(ts);
      const res = await gql(ts.graphqlUrl, query, undefined, token);
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(message);
      expect(res.data ?? null).toBeNull();
      expectNoInternals(res);
      expect(await countOrders(ts)).toBe(before);
    }

    it('refuses a query deeper than GRAPHQL_MAX_DEPTH before running it', async () => {
      await expectRefused('{ orders { edges { node { items { sku } } } } }', /exceeds maximum operation depth of 3/, ts.adminKey);
    });

    it('refuses the same depth hidden in fragments', async () => {
      await expectRefused(
        '{ orders { ...C } } fragment C on OrderConnection { edges { node { ...O } } } fragment O on Order { events { type } }',
        /exceeds maximum operation depth of 3/,
        ts.adminKey,
      );
    });

    it('refuses an over-complex query with its cost and the maximum in the message', async () => {
      await expectRefused(
        '{ orders(first: 100) { totalCount edges { cursor node { id status currency amount amountRefunded customerEmail createdAt updatedAt } } } }',
        /too complex: cost \d+ exceeds the maximum of 500/,
        ts.adminKey,
      );
    });

    it('refuses an over-complex mutation without creating the order', async () => {
      const fields = Array.from({ length: 30 }, (_, i) => `a${i}: events { type fromStatus toStatus source message at }`).join(' ');
      await expectRefused(`mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 1 }] }) { order { ${fields} } } }`, /too complex/);
    });

    it('runs queries within both limits', async () => {
      const res = await gql(ts.graphqlUrl, '{ orders(first: 10) { totalCount edges { node { id amount } } } }', undefined, ts.adminKey);
      expect(res.errors).toBeUndefined();
    });
  });

  describe('defaults', () => {
    let ts: TestService;

    beforeAll(async () => {
      ts = await startTestService({ SANDBOX: 'off' });
    });

    afterAll(async () => {
      await ts.close();
    });

    it('let an admin read the largest page with every order field', async () => {
      const res = await gql(ts.graphqlUrl, `{ orders(first: 100) { totalCount edges { cursor node { ${ORDER_FIELDS} } } pageInfo { hasNextPage endCursor } } }`, undefined, ts.adminKey);
      expect(res.errors).toBeUndefined();
    });

    it('still refuse an aliased flood of expensive fields', async () => {
      const aliases = Array.from({ length: 20 }, (_, i) => `p${i}: orders(first: 100) { edges { node { ${ORDER_FIELDS} } } }`).join(' ');
      const res = await gql(ts.graphqlUrl, `{ ${aliases} }`, undefined, ts.adminKey);
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].message).toMatch(/20 aliases; at most 15/);
    });
  });
});
