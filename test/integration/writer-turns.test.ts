import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { knex as createKnex, type Knex } from '@mikro-orm/knex';
import { takeTurnsOnWriter, WriterTurns } from '../../src/db/writer-turns';

/**
 * SQLite's write connection of the serving thread and that of the webhook applier's thread take
 * turns (src/db/writer-turns.ts): a read-then-write transaction of one thread never meets a commit
 * of the other in between (SQLite would fail it with SQLITE_BUSY_SNAPSHOT), and when both want
 * the turn they alternate. Against a real file, with a real second thread.
 */
describe('write turns between two threads on one SQLite file', () => {
  let dir: string;
  let file: string;
  let main: Knex;

  const open = (filename: string): Knex =>
    createKnex({
      client: 'sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate: (c: { exec(sql: string, done: (e: Error | null) => void): void }, done: (e: Error | null, c: unknown) => void) =>
          c.exec('pragma journal_mode = wal; pragma busy_timeout = 5000;', (e) => done(e, c)),
      },
    });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'writer-turns-'));
    file = path.join(dir, 'turns.sqlite');
    main = open(file);
    await main.schema.createTable('counter', (t) => {
      t.integer('id').primary();
      t.integer('value').notNullable();
    });
    await main('counter').insert({ id: 1, value: 0 });
  });

  afterAll(async () => {
    await main.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Reads the counter, then writes it plus one, in one deferred transaction: the read-then-write shape of the ORM's transactions. */
  const increment = (db: Knex) =>
    db.transaction(async (trx) => {
      const row = (await trx('counter').where('id', 1).first('value')) as { value: number };
      await new Promise(setImmediate);
      await trx('counter').where('id', 1).update({ value: row.value + 1 });
    });

  it('read-then-write transactions of both threads all commit and none is lost', async () => {
    const buffer = WriterTurns.allocate();
    takeTurnsOnWriter(main, new WriterTurns(buffer, 'main'));
    const rounds = 150;
    // The other thread runs the compiled modules (`npm test` builds first), as the service's applier thread does.
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const { knex } = require(workerData.knexModule);
       const { takeTurnsOnWriter, WriterTurns } = require(workerData.turnsModule);
       const db = knex({ client: 'sqlite3', connection: { filename: workerData.file }, useNullAsDefault: true, pool: { min: 1, max: 1,
         afterCreate: (c, done) => c.exec('pragma busy_timeout = 5000;', (e) => done(e, c)) } });
       takeTurnsOnWriter(db, new WriterTurns(workerData.buffer, 'applier'));
       (async () => {
         await db('counter').first('value');
         parentPort.postMessage('ready');
         await new Promise((go) => parentPort.once('message', go));
         const errors = [];
         await Promise.all(Array.from({ length: workerData.rounds }, () => db.transaction(async (trx) => {
           const row = await trx('counter').where('id', 1).first('value');
           await new Promise(setImmediate);
           await trx('counter').where('id', 1).update({ value: row.value + 1 });
         }).catch((e) => errors.push(String(e.message)))));
         await db.destroy();
         parentPort.postMessage(errors);
       })();`,
      {
        eval: true,
        workerData: {
          file,
          buffer,
          rounds,
          knexModule: require.resolve('@mikro-orm/knex'),
          turnsModule: path.resolve(__dirname, '../../dist/db/writer-turns.js'),
        },
      },
    );
    const messages: unknown[] = [];
    const next = () => new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    // Both threads start together (the other one loads its modules first).
    messages.push(await next());
    const workerErrors = next() as Promise<string[]>;
    worker.postMessage('go');
    const mainErrors: string[] = [];
    await Promise.all(Array.from({ length: rounds }, () => increment(main).catch((e: Error) => mainErrors.push(e.message))));
    expect(messages).toEqual(['ready']);
    expect(await workerErrors).toEqual([]);
    expect(mainErrors).toEqual([]);
    expect((await main('counter').where('id', 1).first('value')).value).toBe(2 * rounds);
  });

  it('alternates when both threads want the turn, in arrival order inside a thread', async () => {
    const buffer = WriterTurns.allocate();
    const serving = new WriterTurns(buffer, 'main');
    const applier = new WriterTurns(buffer, 'applier');
    const order: string[] = [];
    await serving.acquire();
    const second = serving.acquire().then(() => order.push('serving, second'));
    const other = applier.acquire().then(() => order.push('applier'));
    const third = serving.acquire().then(() => order.push('serving, third'));
    await new Promise(setImmediate);
    serving.release();
    await other;
    expect(order).toEqual(['applier']);
    applier.release();
    await second;
    serving.release();
    await third;
    serving.release();
    expect(order).toEqual(['applier', 'serving, second', 'serving, third']);
  });

  it("the thread the turn comes to serves every holder that was waiting for it, then hands it over", async () => {
    const buffer = WriterTurns.allocate();
    const serving = new WriterTurns(buffer, 'main');
    const applier = new WriterTurns(buffer, 'applier');
    const order: string[] = [];
    await applier.acquire();
    const waiting = ['first', 'second', 'third'].map((name) => serving.acquire().then(() => order.push(name)));
    await new Promise(setImmediate);
    applier.release();
    await waiting[0];
    // The applier wants the turn again while the serving thread's stretch runs: it comes after the three.
    const again = applier.acquire().then(() => order.push('applier again'));
    const late = new Promise(setImmediate).then(() => serving.acquire().then(() => order.push('arrived during the stretch')));
    await new Promise(setImmediate);
    for (const done of waiting.slice(1)) {
      serving.release();
      await done;
    }
    serving.release();
    await again;
    expect(order).toEqual(['first', 'second', 'third', 'applier again']);
    applier.release();
    await late;
    expect(order).toEqual(['first', 'second', 'third', 'applier again', 'arrived during the stretch']);
    serving.release();
  });

  it('a turn held by a thread that died is freed for the other', async () => {
    const buffer = WriterTurns.allocate();
    const serving = new WriterTurns(buffer, 'main');
    await new WriterTurns(buffer, 'applier').acquire();
    let got = false;
    const waiting = serving.acquire().then(() => (got = true));
    await new Promise(setImmediate);
    expect(got).toBe(false);
    serving.releaseAbandonedBy('applier');
    await waiting;
    expect(got).toBe(true);
    serving.release();
  });
});
