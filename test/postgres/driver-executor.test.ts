import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';
import { RawPostgresExecutor } from '../../src/db/sql-executor';
import { startPostgresService, type ScratchDatabase } from './postgres.helpers';
import type { TestService } from '../helpers/service.helpers';

/**
 * The `pg` driver executor (createOrder's write and the order reader on PostgreSQL) on a scratch
 * database with the service's migrations: rows of every kind of statement, and a transaction that
 * fails part-way leaves nothing and hands its connection back clean.
 */
describe('PostgreSQL driver executor', () => {
  let ts: TestService & { database: ScratchDatabase };
  let knex: Knex;
  let sql: RawPostgresExecutor;

  beforeAll(async () => {
    ts = await startPostgresService('driver', { SANDBOX: 'off' });
    knex = (ts.service.orm.em.getConnection() as AbstractSqlConnection).getKnex();
    sql = new RawPostgresExecutor(knex);
  });

  afterAll(async () => {
    await ts?.close();
  });

  const order = (id: string) => ({
    id, status: 'CREATED', currency: 'EUR', amount: 100, amount_refunded: 0, access_token_hash: `hash-${id}`, version: 1, created_at: new Date(), updated_at: new Date(),
  });
  const count = async (id: string) => Number((await sql.rows<{ n: string }>(knex('orders').count({ n: '*' }).where('id', id)))[0].n);

  it('answers the rows of a select, of a raw statement and of an INSERT … RETURNING', async () => {
    await expect(sql.rows(knex.raw('select ? :: int as v', [7]))).resolves.toEqual([{ v: 7 }]);
    const [returned] = await sql.transaction((tx) => tx.rows<{ id: string }>(knex('orders').insert(order('pg-driver-1')).returning(['id'])));
    expect(returned).toEqual({ id: 'pg-driver-1' });
    await expect(sql.rows(knex('orders').select('id', 'amount').where('id', 'pg-driver-1'))).resolves.toEqual([{ id: 'pg-driver-1', amount: 100 }]);
  });

  it('a transaction whose second insert fails leaves nothing of the first, and the next one on the pool commits', async () => {
    const failed = sql.transaction(async (tx) => {
      await tx.rows(knex('orders').insert(order('pg-driver-2')));
      await tx.rows(knex('order_items').insert({ order_id: 'no-such-order', position: 0, sku: 'MUG-WHT', name: 'Mug', unit_amount: 100, quantity: 1, line_amount: 100 }));
    });
    await expect(failed).rejects.toThrow(/foreign key/);
    expect(await count('pg-driver-2')).toBe(0);
    // Every pooled connection is usable afterwards (none was left inside the aborted transaction).
    await Promise.all(Array.from({ length: 4 }, (_, i) => sql.transaction((tx) => tx.rows(knex('orders').insert(order(`pg-driver-3-${i}`))))));
    for (let i = 0; i < 4; i++) expect(await count(`pg-driver-3-${i}`)).toBe(1);
  });
});
