import type { Knex } from '@mikro-orm/knex';
import { fromDbDate, toDbDate, type DbDialect } from '../db/db-dates';
import { RawSqliteExecutor } from '../db/sql-executor';
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

  /** The next rows to publish, oldest first, claimed for `leaseMs`. */
  async claim(limit: number, now = new Date()): Promise<OutboxChange[]> {
    if (this.kind === 'sqlite') return this.claimRead(await this.claimable(limit, now), now);
    const result = await this.knex().raw(
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
    );
    return (result.rows as Record<string, unknown>[]).map(toChange);
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
   * SQLite: claims what `claimable` read (an UPDATE takes SQLite's write lock even when it matches
   * nothing, so it only runs for rows seen); a second process on the same file (tests) may have
   * claimed some first: only this instance's are returned.
   */
  async claimRead(seen: OutboxChange[], now = new Date()): Promise<OutboxChange[]> {
    if (seen.length === 0) return [];
    const sequences = seen.map((c) => c.sequence);
    const writer = new RawSqliteExecutor(this.knex());
    await writer.rows(
      this.knex()('outbox_messages')
        .whereIn('event_sequence', sequences)
        .andWhere((q) => q.whereNull('claimed_until').orWhere('claimed_until', '<', now.getTime()).orWhere('claimed_by', this.owner))
        .update({ claimed_by: this.owner, claimed_until: now.getTime() + this.leaseMs }),
    );
    const mine = await writer.rows<{ event_sequence: number }>(this.knex()('outbox_messages').select('event_sequence').whereIn('event_sequence', sequences).andWhere('claimed_by', this.owner));
    const ours = new Set(mine.map((r) => Number(r.event_sequence)));
    return seen.filter((c) => ours.has(c.sequence));
  }

  /**
   * Removes published rows, in one transaction with `alongside` (which queues their outbound
   * deliveries): the deliveries exist exactly when the row is gone. Only rows still claimed by this
   * instance are removed; rows whose lease ran out and were taken over stay theirs.
   */
  async complete(sequences: number[], alongside?: (trx: Knex.Transaction, done: Set<number>) => Promise<void>): Promise<void> {
    if (sequences.length === 0) return;
    await this.knex().transaction(async (trx) => {
      let done: Set<number>;
      if (this.kind === 'postgresql') {
        const deleted = (await trx('outbox_messages').whereIn('event_sequence', sequences).andWhere('claimed_by', this.owner).delete().returning('event_sequence')) as { event_sequence: number }[];
        done = new Set(deleted.map((r) => Number(r.event_sequence)));
      } else {
        // SQLite serializes writers: what is still ours now stays ours until this transaction ends.
        done = await this.mine(trx, sequences);
        await trx('outbox_messages').whereIn('event_sequence', [...done]).delete();
      }
      await alongside?.(trx, done);
    });
  }

  private async mine(db: Knex | Knex.Transaction, sequences: number[]): Promise<Set<number>> {
    const rows = (await db('outbox_messages').select('event_sequence').whereIn('event_sequence', sequences).andWhere('claimed_by', this.owner)) as { event_sequence: number }[];
    return new Set(rows.map((r) => Number(r.event_sequence)));
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
