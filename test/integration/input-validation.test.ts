import { CATALOG_SEED } from '../../src/domain/catalog.seed';
import {
  countOrders,
  errorCode,
  expectNoInternals,
  gql,
  startTestService,
  type GqlResponse,
  type TestService,
} from '../helpers/service.helpers';

const CREATE = `mutation($input: CreateOrderInput!) {
  createOrder(input: $input) { accessToken order { id currency amount items { sku unitAmount quantity lineAmount } } }
}`;

type Item = { sku: string; quantity: unknown };

/** createOrder input validation: clear BAD_USER_INPUT errors, server-side prices, and nothing written on failure. */
describe('createOrder input validation', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off' });
  });

  afterAll(async () => {
    await ts.close();
  });

  /** Runs `send`, asserts a clean BAD_USER_INPUT and that the number of orders did not change. */
  async function expectRejected(send: () => Promise<GqlResponse>, field?: string, message?: RegExp): Promise<GqlResponse> {
    const before = await countOrders(ts);
    const res = await send();
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors).toHaveLength(1);
    if (field) expect(res.errors![0].extensions!.field).toBe(field);
    if (message) expect(res.errors![0].message).toMatch(message);
    expect(res.data?.createOrder ?? null).toBeNull();
    expectNoInternals(res);
    expect(await countOrders(ts)).toBe(before);
    return res;
  }

  const create = (items: Item[], customerEmail?: unknown) => () => gql(ts.graphqlUrl, CREATE, { input: { items, customerEmail } });

  it.each<[string, Item[], string, RegExp]>([
    ['an unknown SKU', [{ sku: 'NO-SUCH-SKU', quantity: 1 }], 'input.items[0].sku', /Unknown SKU 'NO-SUCH-SKU'/],
    ['an inactive SKU', [{ sku: 'RETIRED-CAP', quantity: 1 }], 'input.items[0].sku', /RETIRED-CAP.*not available/],
    ['quantity 0', [{ sku: 'MUG-WHT', quantity: 0 }], 'input.items[0].quantity', /1 to 999, got 0/],
    ['quantity -1', [{ sku: 'MUG-WHT', quantity: -1 }], 'input.items[0].quantity', /1 to 999, got -1/],
    ['quantity 1000', [{ sku: 'MUG-WHT', quantity: 1000 }], 'input.items[0].quantity', /1 to 999, got 1000/],
    ['no items', [], 'input.items', /1 to 100 items/],
    ['101 items', Array.from({ length: 101 }, () => ({ sku: 'MUG-WHT', quantity: 1 })), 'input.items', /1 to 100 items/],
    ['mixed currencies', [{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'TEA-EARLGREY', quantity: 1 }], 'input.items[1].sku', /GBP.*USD.*one currency/],
    ['an invalid later line', [{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'TSHIRT-BLK', quantity: 2 }, { sku: 'NOPE', quantity: 1 }], 'input.items[2].sku', /NOPE/],
    ['one SKU ordered more than 999 times over two lines', [{ sku: 'MUG-WHT', quantity: 500 }, { sku: 'MUG-WHT', quantity: 500 }], 'input.items[1].quantity', /1000 times/],
  ])('refuses %s, naming the field, and writes nothing', async (_what, items, field, message) => {
    await expectRejected(create(items), field, message);
  });

  it.each(['not-an-email', 'a@b', 'two words@example.com', `${'x'.repeat(320)}@example.com`])('refuses customerEmail %p', async (email) => {
    await expectRejected(create([{ sku: 'MUG-WHT', quantity: 1 }], email), 'input.customerEmail', /not an email address/);
  });

  it('accepts 100 items and an empty email', async () => {
    const res = await gql(ts.graphqlUrl, CREATE, { input: { items: Array.from({ length: 100 }, () => ({ sku: 'STICKER-PACK', quantity: 1 })), customerEmail: '' } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createOrder.order).toMatchObject({ amount: 49_900, items: [{ sku: 'STICKER-PACK', quantity: 100 }] });
  });

  describe('wrong types are refused before any resolver runs', () => {
    it('quantity "two" as a variable', async () => {
      await expectRejected(create([{ sku: 'MUG-WHT', quantity: 'two' }]), undefined, /quantity.*Int|Int.*two/);
    });

    it('quantity "two" inline', async () => {
      const res = await expectRejected(() => gql(ts.graphqlUrl, 'mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: "two" }] }) { accessToken } }'));
      expect(res.status).toBe(400);
      expect(res.errors![0].message).toMatch(/Int cannot represent/);
    });

    it('quantity 2^31 as a variable and inline', async () => {
      await expectRejected(create([{ sku: 'MUG-WHT', quantity: 2 ** 31 }]), undefined, /non 32-bit signed integer/);
      await expectRejected(
        () => gql(ts.graphqlUrl, `mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: ${2 ** 31} }] }) { accessToken } }`),
        undefined,
        /non 32-bit signed integer/,
      );
    });

    it('quantity 1.5, a null SKU, items that is not a list of objects, a missing input', async () => {
      await expectRejected(create([{ sku: 'MUG-WHT', quantity: 1.5 }]), undefined, /Int cannot represent/);
      await expectRejected(() => gql(ts.graphqlUrl, CREATE, { input: { items: [{ sku: null, quantity: 1 }] } }), undefined, /sku/);
      await expectRejected(() => gql(ts.graphqlUrl, CREATE, { input: { items: 'MUG-WHT' } }), undefined, /items/);
      await expectRejected(() => gql(ts.graphqlUrl, CREATE, {}), undefined, /input/);
    });

    it('a body that is not JSON', async () => {
      const before = await countOrders(ts);
      const res = await fetch(ts.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "mutation {' });
      expect(res.status).toBe(400);
      const body = (await res.json()) as GqlResponse;
      expect(body.errors![0]).toEqual({ message: 'Request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } });
      expect(await countOrders(ts)).toBe(before);
    });

    it('a document that does not parse', async () => {
      const res = await expectRejected(() => gql(ts.graphqlUrl, 'mutation { createOrder(input: { items: [ }'));
      expect(res.status).toBe(400);
      expect(res.errors![0].message).toMatch(/Syntax Error/);
    });
  });

  describe('prices come from the server', () => {
    it.each(['amount', 'unitAmount', 'lineAmount', 'price'])('an item field %p is a GraphQL validation error, inline and as a variable', async (field) => {
      const inline = await expectRejected(() =>
        gql(ts.graphqlUrl, `mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 1, ${field}: 1 }] }) { accessToken } }`),
      );
      expect(inline.status).toBe(400);
      expect(inline.errors![0].message).toContain(`"${field}"`);
      const variable = await expectRejected(() => gql(ts.graphqlUrl, CREATE, { input: { items: [{ sku: 'MUG-WHT', quantity: 1, [field]: 1 }] } }));
      expect(variable.errors![0].message).toContain(`"${field}"`);
    });

    it('an order-level amount or currency is a GraphQL validation error', async () => {
      for (const extra of ['amount: 1', 'currency: "JPY"']) {
        await expectRejected(() => gql(ts.graphqlUrl, `mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 1 }], ${extra} }) { accessToken } }`));
      }
    });

    it.each([
      ['USD', [{ sku: 'TSHIRT-BLK', quantity: 3 }, { sku: 'MUG-WHT', quantity: 2 }, { sku: 'STICKER-PACK', quantity: 1 }]],
      ['GBP', [{ sku: 'TEA-EARLGREY', quantity: 2 }, { sku: 'SCARF-WOOL', quantity: 1 }]],
      ['JPY', [{ sku: 'MATCHA-30G', quantity: 4 }, { sku: 'FUROSHIKI', quantity: 1 }]],
      ['KWD', [{ sku: 'DATES-BOX', quantity: 7 }]],
    ])('totals a %s order from the seeded catalog', async (currency, items) => {
      const res = await gql(ts.graphqlUrl, CREATE, { input: { items } });
      expect(res.errors).toBeUndefined();
      const price = (sku: string) => CATALOG_SEED.find((p) => p.sku === sku)!.unitAmount;
      const order = res.data!.createOrder.order;
      expect(order.currency).toBe(currency);
      expect(order.items).toEqual(items.map((i) => ({ sku: i.sku, quantity: i.quantity, unitAmount: price(i.sku), lineAmount: price(i.sku) * i.quantity })));
      expect(order.amount).toBe(items.reduce((sum, i) => sum + price(i.sku) * i.quantity, 0));
    });
  });
});
