import { Topic } from '../../src/graphql/pubsub';
import { countOrders, createOrder, errorCode, expectNoInternals, gql, startTestService, type TestService } from '../helpers/service.helpers';

const CREATE = `mutation($input: CreateOrderInput!) { createOrder(input: $input) { accessToken order { id } } }`;

/** createOrder and cancelOrder are each one transaction: a failure part-way leaves no trace. */
describe('one transaction per write', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off' });
  });

  afterAll(async () => {
    await ts.close();
  });

  const execute = (sql: string) => ts.service.orm.em.getConnection().execute(sql);

  async function tableCounts() {
    const count = async (table: string) => Number(((await execute(`select count(*) as n from ${table}`)) as { n: number }[])[0].n);
    return { orders: await count('orders'), items: await count('order_items'), events: await count('order_events') };
  }

  it('a database failure after the order row was written rolls back the order and its items and events', async () => {
    await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const before = await tableCounts();
    // Fault injection at the database edge: the third line's insert fails after the order and its log entry were inserted.
    await execute(`create trigger fail_third_line before insert on order_items when new.position = 2 begin select raise(abort, 'injected failure'); end`);
    try {
      const res = await gql(ts.graphqlUrl, CREATE, {
        input: { items: [{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'TSHIRT-BLK', quantity: 1 }, { sku: 'STICKER-PACK', quantity: 1 }] },
      });
      expect(errorCode(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(res.errors![0].message).toBe('Internal server error');
      expect(JSON.stringify(res)).not.toMatch(/injected|order_items|insert/i);
      expectNoInternals(res);
      expect(await tableCounts()).toEqual(before);
    } finally {
      await execute('drop trigger fail_third_line');
    }
    const ok = await gql(ts.graphqlUrl, CREATE, { input: { items: [{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'TSHIRT-BLK', quantity: 1 }, { sku: 'STICKER-PACK', quantity: 1 }] } });
    expect(ok.errors).toBeUndefined();
    expect(await tableCounts()).toEqual({ orders: before.orders + 1, items: before.items + 3, events: before.events + 1 });
  });

  it('a duplicate SKU over the limit, or an invalid later line, writes no order, item or event', async () => {
    const before = await tableCounts();
    for (const items of [
      [{ sku: 'MUG-WHT', quantity: 600 }, { sku: 'MUG-WHT', quantity: 400 }],
      [{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'TSHIRT-BLK', quantity: 1 }, { sku: 'RETIRED-CAP', quantity: 1 }],
    ]) {
      const res = await gql(ts.graphqlUrl, CREATE, { input: { items } });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
    }
    expect(await tableCounts()).toEqual(before);
    expect(await countOrders(ts)).toBe(before.orders);
  });

  it('a database failure while writing the cancel event leaves the order CREATED and publishes nothing', async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const before = await tableCounts();
    const published: unknown[] = [];
    const listening = ts.service.services.pubSub.subscribe(Topic.ORDER_STATUS_CHANGED, id)[Symbol.asyncIterator]();
    const next = listening.next().then((r) => {
      if (!r.done) published.push(r.value);
    });
    await execute(`create trigger fail_cancel_event before insert on order_events when new.to_status = 'CANCELED' begin select raise(abort, 'injected failure'); end`);
    try {
      const res = await gql(ts.graphqlUrl, `mutation($id: ID!) { cancelOrder(orderId: $id) { status } }`, { id }, token);
      expect(errorCode(res)).toBe('INTERNAL_SERVER_ERROR');
      expectNoInternals(res);
    } finally {
      await execute('drop trigger fail_cancel_event');
    }
    expect(await tableCounts()).toEqual(before);
    const order = await gql(ts.graphqlUrl, `query($id: ID!) { order(id: $id) { status events { type } } }`, { id }, token);
    expect(order.data!.order).toEqual({ status: 'CREATED', events: [{ type: 'ORDER_CREATED' }] });
    expect(published).toEqual([]);
    await listening.return?.();
    await next;
  });
});
