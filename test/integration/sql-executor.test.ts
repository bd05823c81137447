import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';
import { databaseConfig } from '../../src/config/database.config';
import { openDatabase, type Orm } from '../../src/db/orm';
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
});
