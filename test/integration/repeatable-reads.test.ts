import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';
import { databaseConfig } from '../../src/config/database.config';
import { openDatabase, type Orm } from '../../src/db/orm';
import { openReadPool, type ReadPool } from '../../src/db/read-pool';
import { RepeatableReads } from '../../src/db/repeatable-reads';
import { RawSqliteExecutor } from '../../src/db/sql-executor';

/**
 * What lets the inbox worker decide a batch on a read connection and write it under the writer
 * (webhook-inbox.event-apply.ts): the reads it decided on, made again on the writer, answer the
 * same rows only while nothing they read has changed. Real file, the service's migrations.
 */
describe('repeatable reads', () => {
  let dir: string;
  let orm: Orm;
  let knex: Knex;
  let reads: ReadPool;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'repeatable-reads-'));
    orm = await openDatabase(databaseConfig(`sqlite:${path.join(dir, 'payments.sqlite')}`, []));
    knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
    reads = openReadPool(databaseConfig(`sqlite:${path.join(dir, 'payments.sqlite')}`, []), orm);
  });

  afterAll(async () => {
    await reads.close();
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the same on the writer until a row it read changes, a row it would read appears, or one disappears', async () => {
    const writer = new RawSqliteExecutor(knex);
    const snapshot = new RawSqliteExecutor(reads.knex);
    await knex('products').insert([
      { sku: 'RR-1', name: 'One', unit_amount: 100, currency: 'EUR', active: true },
      { sku: 'RR-2', name: 'Two', unit_amount: 200, currency: 'EUR', active: true },
    ]);
    const decideOn = async () =>
      snapshot.transaction(async (tx) => {
        const made = new RepeatableReads(tx);
        await made.rows(knex('products').select('sku', 'unit_amount').where('sku', 'like', 'RR-%').orderBy('sku'));
        await made.rows(knex('products').select('name').where('sku', 'RR-1'));
        return made;
      });

    let made = await decideOn();
    expect(await made.sameOn(writer)).toBe(true);
    await knex('products').where('sku', 'RR-2').update({ unit_amount: 250 });
    expect(await made.sameOn(writer)).toBe(false);

    made = await decideOn();
    await knex('products').insert({ sku: 'RR-3', name: 'Three', unit_amount: 300, currency: 'EUR', active: true });
    expect(await made.sameOn(writer)).toBe(false);

    made = await decideOn();
    await knex('products').where('sku', 'RR-3').delete();
    expect(await made.sameOn(writer)).toBe(false);

    made = await decideOn();
    await knex('products').where('sku', 'RR-9').update({ unit_amount: 1 });
    expect(await made.sameOn(writer)).toBe(true);
  });
});
