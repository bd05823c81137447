import { knex, type Knex } from '@mikro-orm/knex';
import { multiRowInsert } from '../../src/db/multi-row-insert';

/** The hand-written multi-row INSERT (one statement per table on the hot paths) keeps knex's conflict semantics. */
describe('multiRowInsert', () => {
  let db: Knex;

  beforeEach(async () => {
    db = knex({ client: 'sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
    await db.raw('create table t (id text primary key, status text not null, attempts integer not null)');
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('replaceOnConflict updates every other column of the rows already there and inserts the rest', async () => {
    await multiRowInsert(db, 't', [{ id: 'a', status: 'FAILED', attempts: 1 }]);
    await multiRowInsert(db, 't', [{ id: 'a', status: 'APPLIED', attempts: 2 }, { id: 'b', status: 'IGNORED', attempts: 1 }], { replaceOnConflict: ['id'] });
    expect(await db('t').select('id', 'status', 'attempts').orderBy('id')).toEqual([
      { id: 'a', status: 'APPLIED', attempts: 2 },
      { id: 'b', status: 'IGNORED', attempts: 1 },
    ]);
  });

  it('ignoreConflictOn keeps the row already there', async () => {
    await multiRowInsert(db, 't', [{ id: 'a', status: 'FAILED', attempts: 1 }]);
    await multiRowInsert(db, 't', [{ id: 'a', status: 'APPLIED', attempts: 2 }], { ignoreConflictOn: ['id'] });
    expect(await db('t').select('id', 'status', 'attempts')).toEqual([{ id: 'a', status: 'FAILED', attempts: 1 }]);
  });
});
