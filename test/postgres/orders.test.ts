import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildClientSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema, type IntrospectionQuery } from 'graphql';
import { POSTGRESQL_MIGRATIONS } from '../../src/db/migrations/postgresql';
import { createOrder, errorCode, gql, ORDER_FIELDS, startTestService, type TestService } from '../helpers/service.helpers';
import { startPostgresService, type ScratchDatabase } from './postgres.helpers';

const ORDER = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;
const PAGE = `query($first: Int, $after: String, $status: OrderStatus) {
  orders(first: $first, after: $after, status: $status) { totalCount edges { cursor node { id status createdAt } } pageInfo { hasNextPage endCursor } }
}`;

interface Page {
  orders: { totalCount: number; edges: { cursor: string; node: { id: string; status: string; createdAt: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** DATABASE_URL=postgres://…: start-up migrates, /readyz, the order use-cases, types and pagination on PostgreSQL. */
describe('PostgreSQL: start-up, orders and pagination', () => {
  let ts: TestService & { database: ScratchDatabase };
  const execute = <T = Record<string, any>>(sql: string, params: unknown[] = []) => ts.service.orm.em.getConnection().execute<T[]>(sql, params);

  beforeAll(async () => {
    ts = await startPostgresService('orders', { SANDBOX: 'off' });
  });

  afterAll(async () => {
    await ts?.close();
  });

  async function allPages(first: number, status?: string): Promise<Page['orders'][]> {
    const pages: Page['orders'][] = [];
    let after: string | null = null;
    for (;;) {
      const res = await gql<Page>(ts.graphqlUrl, PAGE, { first, after, status }, ts.adminKey);
      expect(res.errors).toBeUndefined();
      const current: Page['orders'] = res.data!.orders;
      pages.push(current);
      if (!current.pageInfo.hasNextPage) return pages;
      after = current.pageInfo.endCursor;
      if (pages.length > 50) throw new Error('pagination does not terminate');
    }
  }

  it('start-up applied the PostgreSQL migrations; /readyz answers 200, and 503 while one is pending', async () => {
    expect(ts.service.orm.em.getPlatform().constructor.name).toBe('PostgreSqlPlatform');
    const applied = await execute<{ name: string }>('select name from mikro_orm_migrations order by id');
    expect(applied.map((m) => m.name)).toEqual(POSTGRESQL_MIGRATIONS.map((m) => m.name));
    expect((await fetch(`${ts.url}/readyz`)).status).toBe(200);

    const last = applied.at(-1)!.name;
    await execute('delete from mikro_orm_migrations where name = ?', [last]);
    try {
      const res = await fetch(`${ts.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'not ready', database: 'unreachable or migrations pending' });
    } finally {
      await execute('insert into mikro_orm_migrations (name, executed_at) values (?, current_timestamp)', [last]);
    }
    expect((await fetch(`${ts.url}/readyz`)).status).toBe(200);
  });

  it('the migrated schema is exactly what the entities describe (no PostgreSQL migration missing)', async () => {
    expect((await ts.service.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
  });

  it('serves exactly the committed GraphQL schema (schema/schema.graphql)', async () => {
    const res = await gql<IntrospectionQuery>(ts.graphqlUrl, getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }));
    expect(res.errors).toBeUndefined();
    const served = `${printSchema(lexicographicSortSchema(buildClientSchema(res.data!)))}\n`;
    expect(served).toBe(readFileSync(path.resolve(__dirname, '..', '..', 'schema', 'schema.graphql'), 'utf8'));
  });

  it('a second instance on the same database starts without re-migrating and sees the same orders', async () => {
    const { id } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const second = await startTestService({ SANDBOX: 'off', DATABASE_URL: ts.database.url });
    try {
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
      const res = await gql(second.graphqlUrl, ORDER, { id }, second.adminKey);
      expect(res.data?.order).toMatchObject({ id, status: 'CREATED' });
      const count = await execute<{ n: string }>('select count(*) as n from mikro_orm_migrations');
      expect(Number(count[0].n)).toBe(POSTGRESQL_MIGRATIONS.length);
    } finally {
      await second.close();
    }
  });

  it('creates, reads and cancels an order; amounts are integers, timestamps round-trip to the millisecond', async () => {
    const before = Date.now();
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'TSHIRT-BLK', quantity: 2 }, { sku: 'STICKER-PACK', quantity: 3 }], 'buyer@example.com');
    const read = await gql(ts.graphqlUrl, ORDER, { id }, token);
    expect(read.errors).toBeUndefined();
    const order = read.data!.order;
    expect(order).toMatchObject({ id, status: 'CREATED', currency: 'USD', amountRefunded: 0, customerEmail: 'buyer@example.com' });
    expect(order.amount).toBe(order.items.reduce((sum: number, i: { lineAmount: number }) => sum + i.lineAmount, 0));
    expect(order.items.map((i: { sku: string; quantity: number }) => [i.sku, i.quantity])).toEqual([['TSHIRT-BLK', 2], ['STICKER-PACK', 3]]);
    expect(order.events.map((e: { type: string }) => e.type)).toEqual(['ORDER_CREATED']);
    expect(Date.parse(order.createdAt)).toBeGreaterThanOrEqual(before);

    const [row] = await execute<{ amount: unknown; created_at: unknown; version: unknown }>('select amount, created_at, version from orders where id = ?', [id]);
    expect(row.amount).toBe(order.amount);
    expect(row.version).toBe(1);
    const entity = await ts.service.services.orders.getOrderOrFail(id);
    expect(entity.createdAt.toISOString()).toBe(order.createdAt);
    expect(typeof entity.amount).toBe('number');
    const [product] = await execute<{ active: unknown; unit_amount: unknown }>("select active, unit_amount from products where sku = 'TSHIRT-BLK'");
    expect(product).toEqual({ active: true, unit_amount: expect.any(Number) });

    const canceled = await gql(ts.graphqlUrl, CANCEL, { id }, token);
    expect(canceled.data?.cancelOrder).toEqual({ id, status: 'CANCELED' });
    const again = await gql(ts.graphqlUrl, CANCEL, { id }, token);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const after = (await gql(ts.graphqlUrl, ORDER, { id }, token)).data!.order;
    expect(after.events.map((e: { type: string; toStatus: string }) => e.toStatus)).toEqual(['CREATED', 'CANCELED']);
    expect(Date.parse(after.updatedAt)).toBeGreaterThanOrEqual(Date.parse(after.createdAt));
  });

  it('pages through orders sharing one millisecond, and rows stored with microseconds, exactly once, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await createOrder(ts.graphqlUrl, [{ sku: 'STICKER-PACK', quantity: 1 }])).id);
    // Half of them share one millisecond; the rest get microsecond timestamps, as a writer other than
    // this service (a migration's now(), a psql session) would store them.
    await execute(`update orders set created_at = '2030-01-01T00:00:00.123Z' where id in (${ids.slice(0, 6).map(() => '?').join(',')})`, ids.slice(0, 6));
    for (const [i, id] of ids.slice(6).entries()) {
      await execute('update orders set created_at = ?::timestamptz where id = ?', [`2030-01-01T00:00:00.123${100 + i * 150}Z`, id]);
    }
    const total = Number((await execute<{ n: string }>('select count(*) as n from orders'))[0].n);
    for (const size of [1, 4, 5]) {
      const pages = await allPages(size);
      const seen = pages.flatMap((p) => p.edges.map((e) => e.node.id));
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
      const times = pages.flatMap((p) => p.edges.map((e) => Date.parse(e.node.createdAt)));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
  });

  it('filters by status across pages with a matching totalCount', async () => {
    const pages = await allPages(3, 'CANCELED');
    const statuses = pages.flatMap((p) => p.edges.map((e) => e.node.status));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['CANCELED']));
    expect(pages[0].totalCount).toBe(statuses.length);
  });

  it('a NUL character in an id, a SKU or an email is BAD_USER_INPUT (PostgreSQL text cannot hold it), not an internal error', async () => {
    const create = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { order { id } } }';
    const attempts = [
      await gql(ts.graphqlUrl, ORDER, { id: 'no-such-order\u0000' }, ts.adminKey),
      await gql(ts.graphqlUrl, create, { input: { items: [{ sku: 'MUG-WHT\u0000', quantity: 1 }] } }),
      await gql(ts.graphqlUrl, create, { input: { items: [{ sku: 'MUG-WHT', quantity: 1 }], customerEmail: 'a\u0000@example.com' } }),
    ];
    expect(attempts.map(errorCode)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(attempts.map((res) => res.errors![0].extensions!.field)).toEqual(['id', 'input.items[0].sku', 'input.customerEmail']);
  });
});
