import type { Knex } from '@mikro-orm/knex';
import { fromDbDate, toDbDate, type DbDialect } from '../db/db-dates';
import { RawSqliteExecutor, driverExecutorFor, type SqlExecutor } from '../db/sql-executor';
import type { OrderEventRecord } from '../model/order-record';
import type { OrderStatus } from '../model/order-status';

/** One committed order event waiting in the outbox (the log entry, with its order): STATUS_CHANGED, PAYMENT_FAILED, DISPUTE_WON, … */
export interface OutboxChange extends OrderEventRecord {
  orderId: string;
}

const COLUMNS = 'e.sequence, e.order_id, e.type, e.from_status, e.to_status, e.source, e.message, e.at';

/**
 * The outbox's SQL, set-based. Instances claim batches with a lease that expires when the instance
 * dies (PostgreSQL: `FOR UPDATE SKIP LOCKED`, and an order whose earlier change another instance
 * holds is left for later, so one order's changes go out in order; SQLite: a read, then a
 * conditional UPDATE of what was read).
 */
export class OutboxStore {
  constructor(
    private readonly knex: () => Knex,
    readonly kind: DbDialect,
    /** This instance, as written in `claimed_by`. */
    readonly owner: string,
    private readonly leaseMs: number,
    /** SQLite: read connections beside the writer, where committed rows are seen without waiting for its transaction. */
    private readonly readKnex: () => Knex = knex,
  ) {}

  /**
   * SQLite: release the claims of the process that ran before this one (SQLite is one process per
   * file in production: that one is gone, and its rows should not wait for their lease).
   */
  async init(): Promise<void> {
    if (this.kind !== 'sqlite') return;
    const claimed = () => this.knex()('outbox_messages').whereNotNull('claimed_by');
    if (await claimed().first('event_sequence')) await claimed().update({ claimed_by: null, claimed_until: null });
  }

  /** PostgreSQL: the next rows to publish, oldest first, claimed for `leaseMs`. */
  async claim(limit: number, now = new Date()): Promise<OutboxChange[]> {
    const knex = this.knex();
    const rows = await driverExecutorFor(knex, this.kind).rows<Record<string, unknown>>(knex.raw(
      `with claimed as (
         update outbox_messages set claimed_by = ?, claimed_until = ? where event_sequence in (
           select o.event_sequence from outbox_messages o
            where (o.claimed_until is null or o.claimed_until < ? or o.claimed_by = ?)
              and not exists (select 1 from outbox_messages p where p.order_id = o.order_id and p.event_sequence < o.event_sequence
                                and p.claimed_by <> ? and p.claimed_until >= ?)
            order by o.event_sequence limit ? for update skip locked)
         returning event_sequence)
       select ${COLUMNS} from claimed c join order_events e on e.sequence = c.event_sequence order by e.sequence`,
      [this.owner, new Date(now.getTime() + this.leaseMs), now, this.owner, this.owner, now, limit],
    ));
    return rows.map(toChange);
  }

  /**
   * SQLite: the committed changes this instance may claim, read on a read connection, so a round
   * does not wait behind the writer's transaction (the applier's batch) to see what just committed.
   */
  async claimable(limit: number, now = new Date()): Promise<OutboxChange[]> {
    const claimable = `(o.claimed_until is null or o.claimed_until < ? or o.claimed_by = ?)`;
    const knex = this.readKnex();
    const rows = await new RawSqliteExecutor(knex).rows<Record<string, unknown>>(
      knex.raw(`select ${COLUMNS} from outbox_messages o join order_events e on e.sequence = o.event_sequence where ${claimable} order by o.event_sequence limit ?`, [now.getTime(), this.owner, limit]),
    );
    return rows.map(toChange);
  }

  /**
   * Removes published rows, in one transaction with `alongside` (which queues their outbound
   * deliveries): the deliveries exist exactly when the row is gone. PostgreSQL removes only rows
   * still claimed by this instance (rows whose lease ran out and were taken over stay theirs).
   * SQLite claims nothing beforehand: the removal itself is the claim, one writer transaction per
   * batch instead of three. It removes the rows no other live process holds (a second process on
   * the same file exists in tests only); SQLite serializes writers, so each row is removed, and its
   * deliveries queued, by one process only. The transaction runs on the driver directly: through
   * knex's transaction runner it cost more CPU than its statements (README "Where the time went").
   */
  async complete(sequences: number[], alongside?: (db: SqlExecutor, done: Set<number>) => Promise<void>, now = new Date()): Promise<void> {
    if (sequences.length === 0) return;
    const knex = this.knex();
    await driverExecutorFor(knex, this.kind).transaction(async (tx) => {
      let deleted: { event_sequence: number | string }[];
      if (this.kind === 'postgresql') {
        deleted = await tx.rows(knex('outbox_messages').whereIn('event_sequence', sequences).andWhere('claimed_by', this.owner).delete().returning('event_sequence'));
      } else {
        // A second process on the file (tests) that removed some meanwhile makes this write fail
        // (SQLite refuses it after another connection's commit): rolled back, and the round runs again.
        deleted = await tx.rows(knex('outbox_messages')
          .select('event_sequence')
          .whereIn('event_sequence', sequences)
          .andWhere((q) => q.whereNull('claimed_until').orWhere('claimed_until', '<', now.getTime()).orWhere('claimed_by', this.owner)));
        if (deleted.length > 0) await tx.rows(knex('outbox_messages').whereIn('event_sequence', deleted.map((r) => r.event_sequence)).delete());
      }
      await alongside?.(tx, new Set(deleted.map((r) => Number(r.event_sequence))));
    });
  }

  /** How many rows wait to be published (the outbox's backlog, for metrics and tests). */
  async backlog(): Promise<number> {
    const row = (await this.knex()('outbox_messages').count({ n: '*' }).first()) as { n: number | string } | undefined;
    return Number(row?.n ?? 0);
  }

  date(value: Date): Date | number {
    return toDbDate(value, this.kind);
  }
}

function toChange(row: Record<string, unknown>): OutboxChange {
  return {
    sequence: Number(row.sequence),
    orderId: String(row.order_id),
    type: String(row.type),
    fromStatus: (row.from_status as OrderStatus | null) ?? null,
    toStatus: (row.to_status as OrderStatus | null) ?? null,
    source: String(row.source),
    message: (row.message as string | null) ?? null,
    at: fromDbDate(row.at),
  };
}
