import type { EntityRows } from '../../db/entity-rows';
import { multiRowInsert } from '../../db/multi-row-insert';
import type { Row, SqlExecutor } from '../../db/sql-executor';
import { isOutboxed } from '../outboxed-events';
import type { DetachedOrderWork, FactTables, Loaded } from './detached-facts';

/** A row was written by another transaction since it was read (an order's version moved on): nothing of this transaction may commit. */
export class StaleFactsError extends Error {}

/** Rows per statement: far below SQLite's 32 766 bound values for any of these tables. */
const ROWS_PER_STATEMENT = 200;

/**
 * Writes what the domain decided on detached facts, set-based: per table one UPDATE for each set
 * of changed columns (only the columns a row changed are written, as the ORM's change sets do),
 * one multi-row INSERT for new refunds, disputes and log entries, and the outbox rows of those
 * log entries that go out. Orders keep their optimistic lock: each changed order is written only
 * at the version it was read at, and bumped; a count that does not match throws, and the caller's
 * transaction rolls back whole.
 */
export async function writeDetachedFacts(db: SqlExecutor, t: FactTables, work: DetachedOrderWork): Promise<void> {
  const now = new Date();
  await updateChanged(db, t, t.orders, work.facts.orders, now, true);
  await updateChanged(db, t, t.payments, work.facts.payments, now);
  await updateChanged(db, t, t.refunds, work.facts.refunds, now);
  await updateChanged(db, t, t.disputes, work.facts.disputes, now);
  await insertAll(db, t, t.refunds.table, work.newRefunds.map((r) => t.refunds.toRow(r)));
  await insertAll(db, t, t.disputes.table, work.newDisputes.map((d) => t.disputes.toRow(d)));
  await insertEvents(db, t, work);
}

async function updateChanged<T extends { updatedAt: Date }>(db: SqlExecutor, t: FactTables, rows: EntityRows<T>, loaded: Loaded<T>[], now: Date, versioned = false): Promise<void> {
  const byShape = new Map<string, { columns: string[]; rows: Row[]; versions: number[] }>();
  for (const { entity, read } of loaded) {
    let row = rows.toRow(entity);
    if (!rows.columns.some((c) => !same(row[c], read[c]))) continue;
    // As the ORM's onUpdate does: a changed row is stamped now.
    entity.updatedAt = now;
    row = rows.toRow(entity);
    const columns = rows.columns.filter((c) => c !== 'version' && !same(row[c], read[c]));
    const key = columns.join(',');
    const shape = byShape.get(key) ?? { columns, rows: [], versions: [] };
    shape.rows.push(row);
    if (versioned) shape.versions.push(Number(read.version));
    byShape.set(key, shape);
  }
  for (const { columns, rows: changed, versions } of byShape.values()) {
    for (let i = 0; i < changed.length; i += ROWS_PER_STATEMENT) {
      const chunk = changed.slice(i, i + ROWS_PER_STATEMENT);
      const updated = await db.rows(updateStatement(t, rows, columns, chunk, versioned ? versions.slice(i, i + ROWS_PER_STATEMENT) : undefined));
      if (updated.length !== chunk.length) throw new StaleFactsError(`${rows.table}: ${chunk.length - updated.length} of ${chunk.length} rows changed since they were read`);
    }
  }
}

/**
 * `with v(id, …) as (values …) update t set c = v.c … from v where t.id = v.id returning t.id`:
 * one statement for many rows, each with its own values. PostgreSQL types each bare parameter
 * of VALUES as text: cast to the column's type.
 */
function updateStatement<T extends object>(t: FactTables, rows: EntityRows<T>, columns: string[], chunk: Row[], versions?: number[]) {
  const pg = rows.dialect === 'postgresql';
  const all = ['id', ...columns, ...(versions ? ['version'] : [])];
  const param = (column: string) => (pg ? `cast(? as ${column === 'version' ? 'integer' : rows.columnType(column)})` : '?');
  const tuple = `(${all.map(param).join(', ')})`;
  const bindings = chunk.flatMap((row, i) => all.map((c) => (c === 'version' ? versions![i] : row[c])));
  const table = `"${rows.table}"`;
  const sets = columns.map((c) => `"${c}" = v."${c}"`);
  if (versions) sets.push(`"version" = ${table}."version" + 1`);
  const versionCheck = versions ? ` and ${table}."version" = v."version"` : '';
  return t.knex.raw(
    `with v(${all.map((c) => `"${c}"`).join(', ')}) as (values ${chunk.map(() => tuple).join(', ')}) update ${table} set ${sets.join(', ')} from v where ${table}."id" = v."id"${versionCheck} returning ${table}."id"`,
    bindings,
  );
}

async function insertAll(db: SqlExecutor, t: FactTables, table: string, rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await db.rows(multiRowInsert(t.knex, table, rows.slice(i, i + ROWS_PER_STATEMENT)));
}

/**
 * The order log entries, in the order they were recorded (their `sequence` follows the VALUES
 * order), then, in one INSERT … SELECT, the outbox row of each entry that goes out: no sequence
 * has to be matched back to its entry.
 */
async function insertEvents(db: SqlExecutor, t: FactTables, work: DetachedOrderWork): Promise<void> {
  const date = (d: Date) => (t.orders.dialect === 'sqlite' ? d.getTime() : d);
  for (let i = 0; i < work.newEvents.length; i += ROWS_PER_STATEMENT) {
    const chunk = work.newEvents.slice(i, i + ROWS_PER_STATEMENT);
    const rows = chunk.map((e) => ({ order_id: e.order.id, type: e.type, source: e.source, message: e.message, from_status: e.fromStatus, to_status: e.toStatus, at: date(e.at) }));
    const inserted = await db.rows<{ sequence: number }>(multiRowInsert(t.knex, 'order_events', rows, { returning: ['sequence'] }));
    const outboxed = [...new Set(chunk.map((e) => e.type).filter(isOutboxed))];
    if (outboxed.length === 0) continue;
    await db.rows(
      t.knex.raw(
        `insert into "outbox_messages" ("event_sequence", "order_id", "created_at") select "sequence", "order_id", "at" from "order_events" where "sequence" in (${inserted.map(() => '?').join(', ')}) and "type" in (${outboxed.map(() => '?').join(', ')})`,
        [...inserted.map((r) => r.sequence), ...outboxed],
      ),
    );
  }
}

/** Column values as compared for a change: dates by instant (PostgreSQL hands back Dates). */
function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
