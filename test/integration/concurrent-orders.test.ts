import { createOrder, errorCode, gql, startTestService, type TestService } from '../helpers/service.helpers';
import { recordSql, type SqlRecorder } from '../helpers/sql-recorder';

const CREATE = `mutation($input: CreateOrderInput!) { createOrder(input: $input) { accessToken order { id } } }`;

/** Concurrent createOrder requests share commits (group commit) and each still gets its own order and token. */
describe('concurrent createOrder', () => {
  let ts: TestService;
  let recorder: SqlRecorder;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off', RATE_LIMIT_PER_MINUTE: '0' });
    recorder = recordSql(ts);
  });

  afterAll(async () => {
    await ts.close();
  });

  const execute = (sql: string) => ts.service.orm.em.getConnection().execute(sql);
  const count = async (table: string) => Number(((await execute(`select count(*) as n from ${table}`)) as { n: number }[])[0].n);
  const counts = async () => ({ orders: await count('orders'), items: await count('order_items'), events: await count('order_events') });

  it('commits are durable when they return (WAL, synchronous = FULL): grouping shares the fsync, never skips it', async () => {
    expect(await execute('pragma journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await execute('pragma synchronous')).toEqual([{ synchronous: 2 }]);
  });

  it('200 at once: 200 distinct orders, each with its line and event, and 200 tokens that each open their own order', async () => {
    const before = await counts();
    let created: { id: string; token: string }[] = [];
    const sql = await recorder.during(async () => {
      created = await Promise.all(Array.from({ length: 200 }, (_, i) => createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 + (i % 5) }])));
    });
    expect(new Set(created.map((c) => c.id)).size).toBe(200);
    expect(new Set(created.map((c) => c.token)).size).toBe(200);
    expect(await counts()).toEqual({ orders: before.orders + 200, items: before.items + 200, events: before.events + 200 });
    // Requests that arrived during a commit shared the next one.
    expect(sql.filter((q) => /^begin/i.test(q)).length).toBeLessThan(200);
    const reads = await Promise.all(created.map((c) => gql(ts.graphqlUrl, 'query($id: ID!) { order(id: $id) { id items { quantity } } }', { id: c.id }, c.token)));
    reads.forEach((res, i) => {
      expect(res.errors).toBeUndefined();
      expect(res.data!.order).toEqual({ id: created[i].id, items: [{ quantity: 1 + (i % 5) }] });
    });
    const crossed = await gql(ts.graphqlUrl, 'query($id: ID!) { order(id: $id) { id } }', { id: created[0].id }, created[1].token);
    expect(errorCode(crossed)).toBe('FORBIDDEN');
  });

  it('one order failing inside a shared commit fails alone: the others are stored, it leaves no row', async () => {
    const before = await counts();
    // Fault injection at the database edge: any line of quantity 7 fails to insert.
    await execute(`create trigger fail_quantity_seven before insert on order_items when new.quantity = 7 begin select raise(abort, 'injected failure'); end`);
    try {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        gql(ts.graphqlUrl, CREATE, { input: { items: [{ sku: 'TSHIRT-BLK', quantity: i === 10 ? 7 : 1 }] } })));
      expect(results.map(errorCode)).toEqual(results.map((_, i) => (i === 10 ? 'INTERNAL_SERVER_ERROR' : undefined)));
      expect(JSON.stringify(results[10])).not.toMatch(/injected|order_items/);
    } finally {
      await execute('drop trigger fail_quantity_seven');
    }
    expect(await counts()).toEqual({ orders: before.orders + 19, items: before.items + 19, events: before.events + 19 });
    expect(await count("order_items where quantity = 7")).toBe(0);
  });
});
