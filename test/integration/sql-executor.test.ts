import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';
import { databaseConfig } from '../../src/config/database.config';
import { openDatabase, type Orm } from '../../src/db/orm';
import { openReadPool } from '../../src/db/read-pool';
import { RawSqliteExecutor } from '../../src/db/sql-executor';
import { OrderEntity } from '../../src/db/entities';

/**
 * The SQLite driver executor (src/db/sql-executor.ts) shares knex's pool, and so the ORM's one
 * writer connection: whatever happens in a transaction, the connection goes back without one open.
 * Real file, the service's migrations.
 */
describe('SQLite driver executor', () => {
  let dir: string;
  let orm: Orm;
  let knex: Knex;
  let sql: RawSqliteExecutor;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sql-executor-'));
    orm = await openDatabase(databaseConfig(`sqlite:${path.join(dir, 'payments.sqlite')}`, []));
    knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
    sql = new RawSqliteExecutor(knex);
  });

  afterAll(async () => {
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  });

  const orphanLine = () => knex('order_items').insert({ order_id: 'no-such-order', position: 0, sku: 'MUG-WHT', name: 'Mug', unit_amount: 100, quantity: 1, line_amount: 100 });

  it('rolls back when COMMIT itself fails, so the next transaction on the connection starts clean', async () => {
    // A deferred foreign key is checked at COMMIT: the commit fails and SQLite keeps the transaction open.
    const failed = sql.transaction(async (tx) => {
      await tx.rows(knex.raw('pragma defer_foreign_keys = on'));
      await tx.rows(orphanLine());
    });
    await expect(failed).rejects.toThrow(/FOREIGN KEY constraint failed/);

    const [row] = await sql.transaction((tx) => tx.rows<{ n: number }>(knex('order_items').count({ n: '*' }).where('order_id', 'no-such-order')));
    expect(Number(row.n)).toBe(0);
    // And the ORM, which uses the same connection, is not left inside that transaction either.
    await expect(orm.em.fork().transactional((em) => em.count(OrderEntity, { id: 'no-such-order' }))).resolves.toBe(0);
  });

  it('rolls back a statement that fails inside the transaction, and reports its error', async () => {
    await expect(sql.transaction(async (tx) => tx.rows(orphanLine()))).rejects.toThrow(/FOREIGN KEY constraint failed/);
    await expect(sql.transaction((tx) => tx.rows(knex.raw('select 1 as one')))).resolves.toEqual([{ one: 1 }]);
  });

  describe('prepared statements kept per connection', () => {
    const holdConnection = async () => {
      const connection = (await knex.client.acquireConnection()) as { prepare(sql: string, ...rest: unknown[]): unknown };
      await knex.client.releaseConnection(connection);
      return connection;
    };

    it('prepares a statement once and binds each run afresh', async () => {
      const connection = await holdConnection();
      const prepare = jest.spyOn(connection, 'prepare');
      try {
        await expect(sql.rows(knex.raw('select ? as v', [1]))).resolves.toEqual([{ v: 1 }]);
        await expect(sql.rows(knex.raw('select ? as v', ['two']))).resolves.toEqual([{ v: 'two' }]);
        await expect(sql.rows(knex.raw('select ? as v', [null]))).resolves.toEqual([{ v: null }]);
        expect(prepare.mock.calls.filter(([text]) => text === 'select ? as v')).toHaveLength(1);
      } finally {
        prepare.mockRestore();
      }
    });

    it('reports a statement that cannot be prepared with its own error, every time', async () => {
      for (let i = 0; i < 2; i++) await expect(sql.rows(knex.raw('select * from no_such_table'))).rejects.toThrow(/no such table: no_such_table/);
    });

    it('gives the right rows for more statement shapes than it keeps, and the connection still closes', async () => {
      const own = openReadPool(databaseConfig(`sqlite:${path.join(dir, 'payments.sqlite')}`, []), orm);
      const reads = new RawSqliteExecutor(own.knex);
      for (let n = 1; n <= 80; n++) {
        const ids = Array.from({ length: n }, (_, i) => `id-${i}`);
        const rows = await reads.rows<{ n: number }>(own.knex.raw(`select count(*) as n from (select 1 where 1 in (${ids.map(() => '?').join(', ')}) or ? = ?)`, [...ids, n, n]));
        expect(rows).toEqual([{ n: 1 }]);
      }
      const connection = (await own.knex.client.acquireConnection()) as { open: boolean };
      await own.knex.client.releaseConnection(connection);
      await own.close();
      // SQLite refuses to close a connection with statements not finalized ("unable to close due to
      // unfinalized statements"), and knex's pool drops that error: the file would stay open.
      expect(connection.open).toBe(false);
    });

    it('reads on a kept statement see every commit made before they start', async () => {
      const own = openReadPool(databaseConfig(`sqlite:${path.join(dir, 'payments.sqlite')}`, []), orm);
      const reads = new RawSqliteExecutor(own.knex);
      const count = async () => Number((await reads.rows<{ n: number }>(own.knex('orders').count({ n: '*' })))[0].n);
      try {
        const before = await count();
        for (let i = 1; i <= 3; i++) {
          await sql.transaction((tx) => tx.rows(knex('orders').insert({
            id: `kept-${i}`, status: 'CREATED', currency: 'EUR', amount: 100, amount_refunded: 0, access_token_hash: `hash-kept-${i}`, version: 1, created_at: Date.now(), updated_at: Date.now(),
          })));
          expect(await count()).toBe(before + i);
        }
      } finally {
        await own.close();
      }
    });
  });
});
