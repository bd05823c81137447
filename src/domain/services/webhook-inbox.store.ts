import type { Knex } from '@mikro-orm/knex';
import { driverExecutorFor, executorFor, KnexExecutor, type DriverExecutor, type SqlExecutor } from '../../db/sql-executor';
import { PENDING_WEBHOOK_STATUSES, WebhookEventStatus } from '../../model/webhook-event-status';
import { InboxInsert } from './webhook-inbox.insert';
import { InboxResults } from './webhook-inbox.results';
import { inboxKey, type DueEvent, type EventResult, type InboxRow } from './webhook-inbox.rows';

const TABLE = 'webhook_events';
/** Rows per INSERT statement: 7 bound values each stays far below SQLite's 32 766 variables. */
const ROWS_PER_STATEMENT = 500;

export { inboxKey, type DueEvent, type EventResult, type InboxRow } from './webhook-inbox.rows';

/**
 * The inbox's SQL, set-based and below the ORM's unit of work (the hot path of ingest and of the
 * applier). SQLite runs in one process: the receipt order (`seq`) is counted here, and an event is
 * claimed by the instance that appended it, in the same INSERT (should a second process open the
 * same file, it does not apply that instance's events concurrently). PostgreSQL: `seq` comes from a
 * sequence, and instances claim batches with `FOR UPDATE SKIP LOCKED`. Either way a claim is a
 * lease that expires when its instance dies.
 */
export class WebhookInboxStore {
  private lastSeq = 0;
  /** Ingest's and the applier's batch statements (SQLite: the driver directly, on the writer connection; see sql-executor.ts). */
  readonly sql: SqlExecutor;
  /** SQLite: read-only connections beside the writer (the read pool); otherwise `sql`. */
  readonly reads: SqlExecutor;
  /** Ingest's appends: the driver directly on both databases, one statement text per row count (SQLite: the inbox file's one writer). */
  readonly appends: DriverExecutor;
  private readonly inserts: InboxInsert;
  /** Where attempts' results are written (SQLite: partly after the commit, see InboxResults). */
  readonly results: InboxResults;

  constructor(
    readonly knex: Knex,
    readonly kind: 'sqlite' | 'postgresql',
    /** This instance, as written in `claimed_by`. */
    readonly owner: string,
    private readonly leaseMs: number,
    /** SQLite: read-only connections, where the applier looks for due events without waiting for the writer. */
    readKnex?: Knex,
    /** SQLite: ingest's own connection to the inbox file (src/db/inbox-file.ts). */
    appendKnex?: Knex,
  ) {
    this.sql = executorFor(knex, kind === 'sqlite');
    this.reads = readKnex ? executorFor(readKnex, kind === 'sqlite') : this.sql;
    this.appends = driverExecutorFor(appendKnex ?? knex, kind);
    this.inserts = new InboxInsert(kind, TABLE);
    this.results = new InboxResults(knex, kind, (d) => this.date(d));
  }

  /**
   * SQLite: continue the receipt order after the last stored event, and release the claims of the
   * process that ran before this one (SQLite is one process: that one is gone).
   */
  async init(): Promise<void> {
    if (this.kind !== 'sqlite') return;
    const row = (await this.knex(TABLE).max({ seq: 'seq' }).first()) as { seq: number | null } | undefined;
    this.lastSeq = Number(row?.seq ?? 0);
    const claimed = () => this.knex(TABLE).whereIn('status', PENDING_WEBHOOK_STATUSES).whereNotNull('claimed_by');
    if (await claimed().first('id')) await claimed().update({ claimed_by: null, claimed_until: null });
  }

  /**
   * Appends deliveries in one transaction (usually one multi-row INSERT); an event already stored
   * is skipped on the unique (provider, event_id). Returns the keys that were new. Runs on the
   * driver with a text written once per row count (NativeInsert): the group commit of ingest.
   */
  async append(rows: InboxRow[], within?: DriverExecutor): Promise<Set<string>> {
    const claim: [string, unknown] | undefined = this.kind === 'sqlite' ? [this.owner, this.date(new Date(Date.now() + this.leaseMs))] : undefined;
    type Key = { provider: string; event_id: string };
    // SQLite numbers the rows in order here, and each row keeps its number (see dueFromAppended).
    const insert = (db: DriverExecutor, chunk: InboxRow[]) => {
      let next = 0;
      return db.rows<Key>(this.inserts.statement(chunk, claim, () => (chunk[next++].seq = ++this.lastSeq), (d) => this.date(d)));
    };
    const inserted =
      rows.length <= ROWS_PER_STATEMENT
        ? await insert(within ?? this.appends, rows)
        : await (within ?? this.appends).transaction(async (tx) => {
            const all: Key[] = [];
            for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) all.push(...(await insert(tx, rows.slice(i, i + ROWS_PER_STATEMENT))));
            return all;
          });
    const keys = new Set<string>();
    for (const r of inserted) keys.add(inboxKey(r.provider, r.event_id));
    return keys;
  }

  /**
   * A committed write that changes nothing, on ingest's connection (SQLite: the inbox's own file):
   * false when that file is read-only or its connection cannot write (`/readyz`). PostgreSQL: one
   * database, probed as a whole by /readyz (and a no-op update here could wait for a claim's row lock).
   */
  async canAppend(): Promise<boolean> {
    if (this.kind === 'postgresql') return true;
    try {
      await this.appends.rows(this.knex.raw(`update ${TABLE} set seq = seq where seq = (select max(seq) from ${TABLE})`));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * SQLite: appends `rows` (as `append`) and writes applied events' `results` in the same commit, on
   * ingest's connection. The results run in a savepoint: should they fail, the rows still commit,
   * and their error is returned for the applier to hear of.
   */
  async appendWithResults(rows: InboxRow[], results: EventResult[]): Promise<{ keys: Set<string>; resultsError?: Error }> {
    if (results.length === 0) return { keys: rows.length > 0 ? await this.append(rows) : new Set() };
    return this.appends.transaction(async (tx) => {
      const keys = rows.length > 0 ? await this.append(rows, tx) : new Set<string>();
      await tx.rows(this.knex.raw('savepoint inbox_results'));
      try {
        await this.results.writeTo(tx, results);
        await tx.rows(this.knex.raw('release savepoint inbox_results'));
        return { keys };
      } catch (error) {
        await tx.rows(this.knex.raw('rollback to savepoint inbox_results'));
        await tx.rows(this.knex.raw('release savepoint inbox_results'));
        return { keys, resultsError: error instanceof Error ? error : new Error(String(error)) };
      }
    });
  }

  /**
   * The next due events in receipt order. PostgreSQL claims them for `leaseMs` in the same
   * statement, skipping rows another instance is claiming right now and claims that have not
   * expired; SQLite only reads (one process, one applier).
   */
  async due(limit: number, now = new Date()): Promise<DueEvent[]> {
    const columns = ['id', 'seq', 'provider', 'event_id', 'type', 'payload', 'attempts'];
    if (this.kind === 'sqlite') {
      const rows = await this.reads.rows(this.knex(TABLE)
        .select(columns)
        .whereIn('status', PENDING_WEBHOOK_STATUSES)
        .andWhere((q) => q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', this.date(now)))
        .andWhere((q) => q.whereNull('claimed_by').orWhere('claimed_by', this.owner).orWhere('claimed_until', '<', this.date(now)))
        .orderBy('seq')
        .limit(limit));
      return rows.map(toDue);
    }
    const result = await this.knex.raw(
      `update ${TABLE} set claimed_by = ?, claimed_until = ? where id in (
         select id from ${TABLE}
          where status in ('RECEIVED', 'FAILED') and (next_attempt_at is null or next_attempt_at <= ?)
            and (claimed_until is null or claimed_until < ?)
          order by seq limit ? for update skip locked)
       returning ${columns.join(', ')}`,
      [this.owner, new Date(now.getTime() + this.leaseMs), now, now, limit],
    );
    return (result.rows as Record<string, unknown>[]).map(toDue).sort((a, b) => a.seq - b.seq);
  }

  /** In the applying transaction: which of `ids` this instance still has to apply (see InboxResults.stillDue). */
  stillDue = (db: SqlExecutor, ids: string[]) => this.results.stillDue(db, ids, this.owner);

  /** Statements inside an ORM transaction (the applier's one-event-per-savepoint path, replay). */
  within = (trx: Knex.Transaction): SqlExecutor => new KnexExecutor(this.knex, trx);

  /** One event by id, locked on PostgreSQL until the transaction ends (replay). */
  async lockOne(trx: Knex.Transaction, id: string): Promise<DueEvent & { status: WebhookEventStatus } | undefined> {
    const q = trx(TABLE).select(['id', 'seq', 'provider', 'event_id', 'type', 'payload', 'attempts', 'status']).where('id', id);
    if (this.kind === 'postgresql') q.forUpdate();
    const row = (await q)[0] as Record<string, unknown> | undefined;
    return row && { ...toDue(row), status: row.status as WebhookEventStatus };
  }

  /** Puts every DEAD event back in line; returns how many. */
  async retryDead(): Promise<number> {
    // On ingest's connection, SQLite's one writer of the inbox file (see GroupCommitAppender.writeResults).
    const requeued = await this.appends.rows(
      this.knex(TABLE)
        .where('status', WebhookEventStatus.DEAD)
        .update({ status: WebhookEventStatus.RECEIVED, attempts: 0, next_attempt_at: null, claimed_by: null, claimed_until: null })
        .returning('id'),
    );
    return requeued.length;
  }

  /** SQLite stores dates as epoch milliseconds (as MikroORM does); PostgreSQL as timestamptz. */
  date(value: Date): Date | number {
    return this.kind === 'sqlite' ? value.getTime() : value;
  }
}

function toDue(row: Record<string, unknown>): DueEvent {
  return {
    id: String(row.id),
    seq: Number(row.seq),
    provider: String(row.provider),
    eventId: String(row.event_id),
    type: String(row.type),
    payload: (row.payload as string | null) ?? null,
    attempts: Number(row.attempts),
  };
}
