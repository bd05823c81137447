import type { Knex } from '@mikro-orm/knex';
import type { AttemptWrite } from './attempt-store';
import { toDbDate, type DbDialect } from './db-dates';
import { multiRowInsert } from './multi-row-insert';
import type { SqlExecutor } from './sql-executor';

/** PostgreSQL types each bare parameter of VALUES as text: the version checks' columns, cast. */
const PG_TYPES: Record<string, string> = { id: 'text', version: 'integer', status: 'text', updated_at: 'timestamptz' };

/**
 * Writes a group of claims in the caller's transaction: every order's optimistic-lock check and
 * bump in ONE statement (`with v(…) as (values …) update orders … from v where version matches
 * returning id`), then one insert per table for the claims that passed. Says, per claim, whether
 * it was written (false: its order's version moved on, or an earlier claim of the group took the
 * same order; either is decided again on a fresh read). One statement per table whatever the
 * group's size: each statement is a round trip to the database (SQLite: to its driver thread).
 */
export async function writeClaims(tx: SqlExecutor, knex: Knex, dialect: DbDialect, writes: AttemptWrite[]): Promise<boolean[]> {
  const date = (d: Date) => toDbDate(d, dialect);
  // A second claim on the same order in one group is decided again after this commit (it would see the first).
  const first = writes.map((w, i) => writes.findIndex((x) => x.orderId === w.orderId) === i);
  const bumped = new Set((await tx.rows<{ id: string }>(versionChecks(knex, dialect, writes.filter((_, i) => first[i])))).map((r) => String(r.id)));
  const written = writes.map((w, i) => first[i] && bumped.has(w.orderId));
  const kept = writes.filter((_, i) => written[i]);
  for (const w of kept) {
    for (const s of w.superseded) {
      await tx.rows(knex('payments').update({ status: 'CANCELED', failure_message: s.failureMessage, updated_at: date(w.at) }).where({ id: s.id, status: 'OPEN' }));
    }
  }
  const payments = kept.flatMap((w) => (w.payment ? [{
    id: w.payment.id, order_id: w.orderId, provider: w.payment.provider, method: w.payment.method, status: 'OPEN', amount: w.payment.amount, currency: w.payment.currency,
    capture_method: w.payment.captureMethod ?? null, created_at: date(w.at), updated_at: date(w.at),
  }] : []));
  if (payments.length > 0) await tx.rows(multiRowInsert(knex, 'payments', payments));
  const events = kept.flatMap((w) => w.events.map((e) => ({ orderId: w.orderId, e })));
  if (events.length === 0) return written;
  const inserted = await tx.rows<{ sequence: number | string; type: string; order_id: string }>(multiRowInsert(knex, 'order_events', events.map(({ orderId, e }) => ({
    order_id: orderId, type: e.type, from_status: e.fromStatus, to_status: e.toStatus, source: e.source, message: e.message, at: date(e.at),
  })), { returning: ['sequence', 'type', 'order_id'] }));
  // Matched back by order and type: a claim appends at most one entry of each outboxed type (one status change).
  const outboxed = new Map(events.filter(({ e }) => e.outboxed).map(({ orderId, e }) => [`${orderId} ${e.type}`, e]));
  const outbox = inserted.flatMap((row) => {
    const event = outboxed.get(`${row.order_id} ${row.type}`);
    return event ? [{ event_sequence: Number(row.sequence), order_id: row.order_id, created_at: date(event.at) }] : [];
  });
  if (outbox.length > 0) await tx.rows(multiRowInsert(knex, 'outbox_messages', outbox));
  return written;
}

/** Each order's new status, stamped and bumped only where it still has the version its claim was decided at; answers the ids written. */
function versionChecks(knex: Knex, dialect: DbDialect, writes: AttemptWrite[]): Knex.Raw {
  const columns = ['id', 'version', 'status', 'updated_at'];
  const param = (c: string) => (dialect === 'postgresql' ? `cast(? as ${PG_TYPES[c]})` : '?');
  const tuple = `(${columns.map(param).join(', ')})`;
  const bindings = writes.flatMap((w) => [w.orderId, w.version, w.status, toDbDate(w.at, dialect)]);
  return knex.raw(
    `with v("id", "version", "status", "updated_at") as (values ${writes.map(() => tuple).join(', ')}) ` +
      `update "orders" set "status" = v."status", "updated_at" = v."updated_at", "version" = "orders"."version" + 1 ` +
      `from v where "orders"."id" = v."id" and "orders"."version" = v."version" returning "orders"."id"`,
    bindings as Knex.RawBinding[],
  );
}
