import type { Knex } from '@mikro-orm/knex';
import type { SqlExecutor } from '../../db/sql-executor';
import { multiRowInsert } from '../../db/multi-row-insert';
import { PENDING_WEBHOOK_STATUSES, WebhookEventStatus } from '../../model/webhook-event-status';
import type { EventResult } from './webhook-inbox.rows';

/** Rows per statement: 8 bound values per result stays far below SQLite's 32 766 variables. */
const ROWS_PER_STATEMENT = 500;
/** What `writeTo` sets on an inbox row, in the order of its bindings, with PostgreSQL's types. */
const RESULT_COLUMNS: readonly [string, string][] = [
  ['id', 'text'],
  ['status', 'text'],
  ['outcome', 'text'],
  ['order_id', 'text'],
  ['attempts', 'int'],
  ['last_error', 'text'],
  ['next_attempt_at', 'timestamptz'],
  ['applied_at', 'timestamptz'],
];
/** Results whose effects were committed: recorded in SQLite's payments file with them. */
const APPLIED_STATUSES: readonly WebhookEventStatus[] = [WebhookEventStatus.APPLIED, WebhookEventStatus.IGNORED];

/**
 * Where what each attempt ended in is written.
 *
 * PostgreSQL: in the transaction that applied the events (the inbox is a table of the same database).
 *
 * SQLite: the inbox is a file of its own (src/db/inbox-file.ts), and two files do not commit
 * atomically together. The applying transaction writes the applied events' ids in
 * `webhook_applications`, in the payments file with their effects; once it committed, the results
 * are written to the inbox (`writeTo`). Should the process die in between, the event is still
 * RECEIVED in the inbox: the applier finds its application (`stillDue`) and writes that result
 * instead of applying the event again. A failed attempt touched nothing, so its result goes to the
 * inbox only.
 */
export class InboxResults {
  constructor(
    private readonly knex: Knex,
    private readonly kind: 'sqlite' | 'postgresql',
    private readonly date: (value: Date) => Date | number,
  ) {}

  /** In the applying transaction. */
  async writeInside(db: SqlExecutor, results: EventResult[]): Promise<void> {
    if (this.kind === 'postgresql') return this.writeTo(db, results);
    const applied = results.filter((r) => APPLIED_STATUSES.includes(r.status));
    for (let i = 0; i < applied.length; i += ROWS_PER_STATEMENT) {
      const rows = applied.slice(i, i + ROWS_PER_STATEMENT).map((r) => ({
        id: r.id,
        status: r.status,
        outcome: r.outcome.slice(0, 255),
        order_id: r.orderId,
        attempts: r.attempts,
        applied_at: this.date(r.appliedAt ?? new Date()),
      }));
      await db.rows(multiRowInsert(this.knex, 'webhook_applications', rows, { replaceOnConflict: ['id'] }));
    }
  }

  /**
   * In the applying transaction: which of `ids` this instance still has to apply (locked on
   * PostgreSQL until the commit). SQLite: an event still in line whose effects the payments file
   * already holds (the process died between the two files' commits, see above) is not
   * applied again: its recorded result is returned, to be written to the inbox.
   */
  async stillDue(db: SqlExecutor, ids: string[], owner: string): Promise<{ toApply: Set<string>; alreadyApplied: EventResult[] }> {
    const toApply = new Set<string>();
    const alreadyApplied: EventResult[] = [];
    if (ids.length === 0) return { toApply, alreadyApplied };
    if (this.kind === 'postgresql') {
      const q = this.knex('webhook_events').select('id').whereIn('id', ids).whereIn('status', PENDING_WEBHOOK_STATUSES).andWhere('claimed_by', owner).forUpdate();
      for (const r of await db.rows<{ id: string }>(q)) toApply.add(r.id);
      return { toApply, alreadyApplied };
    }
    const q = this.knex('webhook_events as e')
      .leftJoin('webhook_applications as a', 'a.id', 'e.id')
      .select('e.id', 'a.status', 'a.outcome', 'a.order_id', 'a.attempts', 'a.applied_at')
      .whereIn('e.id', ids)
      .whereIn('e.status', PENDING_WEBHOOK_STATUSES);
    for (const row of await db.rows<ApplicationRow & { id: string }>(q)) {
      if (row.status == null) toApply.add(row.id);
      else alreadyApplied.push(applicationResult(row.id, row));
    }
    return { toApply, alreadyApplied };
  }

  /** SQLite: forgets the applications of finished events received before `before` (the inbox row says it all). */
  async forgetApplications(before: Date): Promise<void> {
    if (this.kind !== 'sqlite') return;
    const finished = this.knex('webhook_events').select('id').whereIn('status', APPLIED_STATUSES).andWhere('received_at', '<', this.date(before));
    const old = () => this.knex('webhook_applications').whereIn('id', finished.clone());
    // Read first: a DELETE takes SQLite's write lock even when it matches nothing.
    if (await old().first('id')) await old().delete();
  }

  /**
   * The results on the inbox's rows, and their claims released: one UPDATE per 500 results, each
   * row's values in a VALUES list joined on the id (`with v(…) as (values …) update … from v`), not
   * one statement per event. It was a CASE per column keyed by id, which SQLite evaluates a WHEN
   * at a time: for 200 results it bound twice the values and took 3.7 ms against 1.9 ms (measured,
   * prepared statements), inside ingest's group commit. SQLite writes them after the applying
   * commit, on ingest's connection with its next group commit (GroupCommitAppender.writeResults):
   * one writer of the inbox file in the process, so nobody polls for its lock.
   */
  async writeTo(db: SqlExecutor, results: EventResult[]): Promise<void> {
    // PostgreSQL types each bare parameter of VALUES as text: cast to the column's type.
    const param = (type: string) => (this.kind === 'postgresql' ? `cast(? as ${type})` : '?');
    const tuple = `(${RESULT_COLUMNS.map(([, type]) => param(type)).join(', ')})`;
    const names = RESULT_COLUMNS.map(([column]) => `"${column}"`);
    const sets = names.slice(1).map((name) => `${name} = v.${name}`);
    for (let i = 0; i < results.length; i += ROWS_PER_STATEMENT) {
      const chunk = results.slice(i, i + ROWS_PER_STATEMENT);
      const bindings = chunk.flatMap((r) => [r.id, r.status, r.outcome.slice(0, 255), r.orderId, r.attempts, r.lastError?.slice(0, 2000) ?? null, r.nextAttemptAt ? this.date(r.nextAttemptAt) : null, r.appliedAt ? this.date(r.appliedAt) : null]);
      await db.rows(this.knex.raw(
        `with v(${names.join(', ')}) as (values ${chunk.map(() => tuple).join(', ')}) update "webhook_events" set ${sets.join(', ')}, "claimed_by" = null, "claimed_until" = null from v where "webhook_events"."id" = v."id"`,
        bindings as Knex.RawBinding[],
      ));
    }
  }
}

/** A row of `webhook_applications` (null columns: no application recorded). */
export interface ApplicationRow {
  status: string | null;
  outcome: string | null;
  order_id: string | null;
  attempts: number | null;
  applied_at: number | null;
}

/** An application recorded in SQLite's payments file, as the result to write to the inbox. */
export function applicationResult(id: string, row: ApplicationRow): EventResult {
  return {
    id,
    status: row.status as WebhookEventStatus,
    outcome: String(row.outcome),
    orderId: (row.order_id as string | null) ?? null,
    attempts: Number(row.attempts),
    lastError: null,
    nextAttemptAt: null,
    appliedAt: new Date(Number(row.applied_at)),
  };
}
