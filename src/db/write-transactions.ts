import type { Knex } from '@mikro-orm/knex';
import { Coalescer, type Settled } from './coalescer';
import { multiRowInsert } from './multi-row-insert';
import type { SqlExecutor } from './sql-executor';

type Row = Record<string, unknown>;

/** Rows for one table; `returning` asks for columns the database assigns (e.g. a serial), matched back by `key`. */
export interface TableRows {
  table: string;
  rows: Row[];
  returning?: { key: string; columns: string[] };
}

/** What one write inserts, in foreign-key order (parents first). */
export type InsertPlan = TableRows[];

/** For each entry of the plan, the returned rows of its own rows (empty when it asked for none). */
export type InsertResult = Row[][];

/**
 * Insert-only writes (a new order, its lines, its first event) with group commit: plans that
 * arrive while a transaction is running wait, then share the next one, with one multi-row insert
 * per table for the whole group and one commit (SQLite has one writer connection and makes every
 * commit durable, WAL with `synchronous = FULL`; PostgreSQL flushes its WAL at every commit).
 * Each caller is answered only after that commit. If the group fails, each of its plans is retried
 * alone, so one bad plan fails only itself and leaves nothing behind.
 */
export class WriteTransactions {
  private readonly grouped: Coalescer<InsertPlan, InsertResult>;

  constructor(
    /** Builds the statements. */
    private readonly knex: () => Knex,
    /** Runs them (SQLite: the driver directly, on the writer connection held from knex's pool). */
    private readonly sql: () => SqlExecutor,
  ) {
    this.grouped = new Coalescer((plans) => this.insertGroup(plans));
  }

  /** Inserts the plan's rows in one transaction, shared with the plans that arrived meanwhile; resolves after the commit. */
  insert(plan: InsertPlan): Promise<InsertResult> {
    return this.grouped.submit(plan);
  }

  private insertAlone(plan: InsertPlan): Promise<InsertResult> {
    return this.sql().transaction(async (tx) => {
      const results: InsertResult = [];
      for (const entry of plan) results.push(await insertRows(this.knex(), tx, entry.table, entry.rows, entry.returning));
      return results;
    });
  }

  private async insertGroup(plans: InsertPlan[]): Promise<Settled<InsertResult>[]> {
    if (plans.length === 1) return [{ ok: true, value: await this.insertAlone(plans[0]) }];
    try {
      return await this.sql().transaction((tx) => insertMerged(this.knex(), tx, plans));
    } catch {
      const settled: Settled<InsertResult>[] = [];
      for (const plan of plans) settled.push(await this.insertAlone(plan).then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })));
      return settled;
    }
  }
}

/** One multi-row insert per table across all plans (tables in the order they first appear), results split back per plan. */
async function insertMerged(knex: Knex, tx: SqlExecutor, plans: InsertPlan[]): Promise<Settled<InsertResult>[]> {
  const tables = [...new Set(plans.flatMap((plan) => plan.map((entry) => entry.table)))];
  const results: InsertResult[] = plans.map((plan) => plan.map(() => []));
  for (const table of tables) {
    const parts = plans.flatMap((plan, p) => plan.map((entry, e) => ({ entry, p, e })).filter(({ entry }) => entry.table === table));
    const returning = parts.find(({ entry }) => entry.returning)?.entry.returning;
    const returned = await insertRows(knex, tx, table, parts.flatMap(({ entry }) => entry.rows), returning);
    if (!returning) continue;
    const byKey = new Map<unknown, Row[]>();
    for (const row of returned) byKey.set(row[returning.key], [...(byKey.get(row[returning.key]) ?? []), row]);
    for (const { entry, p, e } of parts) results[p][e] = entry.rows.map((row) => byKey.get(row[returning.key])!.shift()!);
  }
  return results.map((value) => ({ ok: true, value }));
}

/** One multi-row INSERT written as a VALUES list (knex compiles SQLite's as `select … union all select …`). */
async function insertRows(knex: Knex, tx: SqlExecutor, table: string, rows: Row[], returning?: TableRows['returning']): Promise<Row[]> {
  if (rows.length === 0) return [];
  return tx.rows(multiRowInsert(knex, table, rows, returning ? { returning: [returning.key, ...returning.columns] } : {}));
}
