import { collect, countOrders, errorCode, expectNoInternals, gql, startTestService, TEST_ADMIN_KEY, wsClient, type TestService } from '../helpers/service.helpers';

const CREATE = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { accessToken order { id } } }';
const EVENTS = 'query($type: String) { webhookEvents(type: $type, first: 5) { totalCount } }';

/**
 * U+0000 in a text input: PostgreSQL's text cannot hold it and SQLite's SQL text ends at it, so it
 * reached the database as an INTERNAL_SERVER_ERROR (or was stored, on SQLite). It is refused at the
 * edge, on both transports, as BAD_USER_INPUT naming where it was; nothing is written.
 */
describe('a NUL character in any text input', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off' });
  });

  afterAll(async () => {
    await ts.close();
  });

  it('in a variable: BAD_USER_INPUT naming the variable and its path, 400, nothing written', async () => {
    const before = await countOrders(ts);
    const res = await gql(ts.graphqlUrl, CREATE, { input: { items: [{ sku: 'MUG-WHT', quantity: 1 }], customerEmail: "a'b\u0000@example.com" } });
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toBe('$input.customerEmail contains the NUL character (U+0000), which no text input accepts');
    expect(res.errors![0].extensions!.field).toBe('input.customerEmail');
    expect(res.data?.createOrder ?? null).toBeNull();
    expect(await countOrders(ts)).toBe(before);

    const nested = await gql(ts.graphqlUrl, CREATE, { input: { items: [{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'MUG\u0000', quantity: 1 }] } });
    expect(errorCode(nested)).toBe('BAD_USER_INPUT');
    expect(nested.errors![0].message).toMatch(/^\$input\.items\[1\]\.sku contains the NUL character/);
  });

  it('in an admin filter (the ORM writes it into the SQL text): BAD_USER_INPUT, not an internal error', async () => {
    const res = await gql(ts.graphqlUrl, EVENTS, { type: 'checkout.session.completed\u0000' }, TEST_ADMIN_KEY);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expectNoInternals(res);
    const fine = await gql(ts.graphqlUrl, EVENTS, { type: 'checkout.session.completed' }, TEST_ADMIN_KEY);
    expect(fine.errors).toBeUndefined();
  });

  it('in a string literal of the document: refused as the document is validated, 400', async () => {
    const res = await gql(ts.graphqlUrl, 'query { webhookEvents(type: "x\\u0000", first: 1) { totalCount } }', {}, TEST_ADMIN_KEY);
    expect(res.status).toBe(400);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toBe('A string literal contains the NUL character (U+0000), which no text input accepts');
  });

  it('over WebSocket: the subscription is refused with BAD_USER_INPUT', async () => {
    const client = wsClient(ts.wsUrl, TEST_ADMIN_KEY);
    try {
      const sub = collect(client, 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { status } }', { id: 'order\u0000' });
      const deadline = Date.now() + 5000;
      while (!sub.done && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const errors = sub.failure as { message: string; extensions?: { code?: string } }[];
      expect(errors[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(errors[0].message).toMatch(/^\$id contains the NUL character/);
    } finally {
      await client.dispose();
    }
  });

  it('other control characters in an email are not an email address', async () => {
    const res = await gql(ts.graphqlUrl, CREATE, { input: { items: [{ sku: 'MUG-WHT', quantity: 1 }], customerEmail: 'bell\u0007@example.com' } });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.field).toBe('input.customerEmail');
    expect(res.errors![0].message).toMatch(/not an email address/);
  });
});
