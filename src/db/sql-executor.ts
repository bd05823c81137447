import type { Knex } from '@mikro-orm/knex';
import { randomUUID } from 'node:crypto';
import type { DbDialect } from './db-dates';
import { allPrepared, type Sqlite3Connection } from './sqlite-statements';

export type Row = Record<string, any>;

/** A statement built with knex (`knex('orders').where(…)`), run by an executor. */
export type Statement = Knex.QueryBuilder | Knex.Raw;

/**
 * A statement already in the driver's own dialect (placeholders `?NNN` on SQLite, `$N` on
 * PostgreSQL), for the hottest writes: nothing to build or compile per call.
 */
export interface NativeStatement {
  sql: string;
  bindings: readonly unknown[];
}

/**
 * Runs the plain-SQL hot paths' statements: the rows a statement returns (RETURNING rows for a
 * write), and transactions. Statements are built with knex whatever runs them.
 */
export interface SqlExecutor {
  rows<T = Row>(statement: Statement): Promise<T[]>;
  /** `work` in one transaction: the executor it is given runs its statements inside it. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/**
 * Through knex's own runner (PostgreSQL, and SQLite in memory). A transaction's statements all run
 * on its one connection, one at a time whatever sends them: those sent together (reads under
 * `Promise.all`) are sent one after the other here, as the driver would run them, instead of
 * queued in `pg`, which deprecates a query sent while another runs (and pg@9 refuses it).
 */
export class KnexExecutor implements SqlExecutor {
  constructor(
    private readonly knex: Knex,
    private readonly trx?: Knex.Transaction,
  ) {}

  rows<T>(statement: Statement): Promise<T[]> {
    const trx = this.trx;
    if (!trx) return this.run<T>(statement);
    const run = (trxTails.get(trx) ?? Promise.resolve()).then(() => this.run<T>(statement));
    trxTails.set(trx, run.catch(() => undefined));
    return run;
  }

  private async run<T>(statement: Statement): Promise<T[]> {
    const result: unknown = await (this.trx ? statement.transacting(this.trx) : statement);
    if (Array.isArray(result)) return result as T[];
    // A raw statement on PostgreSQL answers the driver's result: its rows are in `rows`.
    const rows = (result as { rows?: unknown } | undefined)?.rows;
    return Array.isArray(rows) ? (rows as T[]) : [];
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.trx) return work(this);
    return this.knex.transaction((trx) => work(new KnexExecutor(this.knex, trx)));
  }
}

/** The last statement sent in each knex transaction, for the next one to wait for. */
const trxTails = new WeakMap<Knex.Transaction, Promise<unknown>>();

/** Runs one compiled statement on a driver connection and answers its rows. */
type RunOn = (connection: unknown, sql: string, bindings: readonly unknown[]) => Promise<Row[]>;

/**
 * A database driver used directly, on a connection held from knex's pool (so nothing else, the ORM
 * included, uses it meanwhile). Measured on this 2-core machine: knex's transaction runner takes
 * 1.6 ms (0.8 ms of CPU) for BEGIN, one UPDATE and COMMIT that SQLite's driver runs in 0.2 ms, and
 * a one-row read 0.18 ms instead of 0.05; on PostgreSQL, a transaction of three INSERTs costs
 * 0.38–0.61 ms of CPU through knex and 0.22–0.28 ms on `pg` directly. Statements are still
 * compiled by knex (`toSQL().toNative()`, the same SQL and bindings knex would send), and knex's
 * `query` / `query-response` / `query-error` events are emitted as knex does, so SQL tracing and
 * the tests' statement counts see them.
 */
export class DriverExecutor implements SqlExecutor {
  constructor(
    private readonly knex: Knex,
    private readonly runOn: RunOn,
    private readonly held?: { connection: unknown; txId: string },
  ) {}

  async rows<T>(statement: Statement | NativeStatement): Promise<T[]> {
    if (this.held) return this.run<T>(this.held.connection, statement, this.held.txId);
    const connection: unknown = await this.knex.client.acquireConnection();
    try {
      return await this.run<T>(connection, statement);
    } finally {
      await this.knex.client.releaseConnection(connection);
    }
  }

  async transaction<T>(work: (tx: DriverExecutor) => Promise<T>): Promise<T> {
    if (this.held) return work(this);
    const connection: unknown = await this.knex.client.acquireConnection();
    const tx = new DriverExecutor(this.knex, this.runOn, { connection, txId: `raw-${randomUUID()}` });
    try {
      await tx.exec('begin');
      const result = await work(tx);
      await tx.exec('commit');
      return result;
    } catch (error) {
      // Also when COMMIT itself failed (SQLite: busy, disk full): SQLite keeps that transaction open, and the
      // connection must go back to the pool without one. Without an open transaction this is a no-op error or notice.
      await tx.exec('rollback').catch(() => undefined);
      throw error;
    } finally {
      await this.knex.client.releaseConnection(connection);
    }
  }

  private exec(sql: string): Promise<unknown[]> {
    return this.run(this.held!.connection, { sql, bindings: [] }, this.held!.txId);
  }

  private run<T>(connection: unknown, statement: Statement | NativeStatement, txId?: string): Promise<T[]> {
    const { sql, bindings } = 'toSQL' in statement ? statement.toSQL().toNative() : statement;
    const query = { sql, bindings, __knexQueryUid: randomUUID(), __knexTxId: txId };
    const client = this.knex.client as unknown as NodeJS.EventEmitter;
    client.emit('query', query);
    return this.runOn(connection, sql, bindings).then(
      (rows) => {
        client.emit('query-response', rows, query);
        return rows as T[];
      },
      (error: unknown) => {
        client.emit('query-error', error, query);
        throw error;
      },
    );
  }
}

/** SQLite's `sqlite3` driver; each statement runs prepared once per connection and SQL text (sqlite-statements.ts). */
export class RawSqliteExecutor extends DriverExecutor {
  constructor(knex: Knex) {
    super(knex, (connection, sql, bindings) => allPrepared(connection as Sqlite3Connection, sql, bindings));
  }
}

/**
 * PostgreSQL's `pg` driver: the rows of every statement, RETURNING rows included, whatever its kind.
 * Each SQL text runs as a named prepared statement, parsed once per connection: measured with
 * pg_stat_statements, planning was most of the server's time for the order reads (0.2–0.3 ms a
 * call) and the outbox claim. Statements sent together on one connection (a transaction's reads
 * under `Promise.all`) are sent one after the other, as `pg` would queue them: it deprecates
 * queueing a query behind another.
 */
export class RawPostgresExecutor extends DriverExecutor {
  constructor(knex: Knex) {
    super(knex, (connection, sql, bindings) => {
      const client = connection as PgClient;
      const query = { name: preparedName(sql), text: sql, values: bindings as unknown[] };
      const run = (pgTails.get(client) ?? Promise.resolve()).then(async () => (await client.query(query)).rows ?? []);
      pgTails.set(client, run.catch(() => undefined));
      return run;
    });
  }
}

/** The last statement sent on each `pg` connection, for the next one to wait for. */
const pgTails = new WeakMap<PgClient, Promise<unknown>>();

/**
 * SQL texts given a prepared statement's name, at most this many per process (so at most this many
 * statements stay prepared on each connection); texts beyond run unnamed. The hot paths have few
 * shapes (they vary with the number of rows or ids).
 */
const MAX_PREPARED_NAMES = 512;
const preparedNames = new Map<string, string>();

function preparedName(sql: string): string | undefined {
  let name = preparedNames.get(sql);
  if (name === undefined && preparedNames.size < MAX_PREPARED_NAMES) {
    name = `hot_${preparedNames.size}`;
    preparedNames.set(sql, name);
  }
  return name;
}

interface PgClient {
  query(query: { name?: string; text: string; values: unknown[] }): Promise<{ rows?: Row[] }>;
}

/** The executor for a knex instance: the driver directly for a SQLite file, knex's runner otherwise. */
export function executorFor(knex: Knex, raw: boolean): SqlExecutor {
  return raw ? new RawSqliteExecutor(knex) : new KnexExecutor(knex);
}

/** The driver directly on both databases (the order paths: createOrder's write, the order reader). */
export function driverExecutorFor(knex: Knex, dialect: DbDialect): DriverExecutor {
  return dialect === 'sqlite' ? new RawSqliteExecutor(knex) : new RawPostgresExecutor(knex);
}
