import type { Knex } from '@mikro-orm/knex';
import type { PayableOrder } from '../model/payable-order';
import { toDbDate, type DbDialect } from './db-dates';
import { RELATIONS, aggregateSql, toItem, toPayment, type Row } from './order-rows';
import { executorFor } from './sql-executor';

/** One order log entry an attempt's write appends; `outboxed` ones also get their outbox row (src/outbox). */
export interface AttemptEvent {
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  source: string;
  message: string | null;
  at: Date;
  outboxed: boolean;
}

/**
 * The write that opens (or re-opens) a payment attempt, all in one transaction: the order's
 * version bump (and new status), attempts closed in our records, the new attempt, its log entries.
 */
export interface AttemptWrite {
  orderId: string;
  /** The version the decision was made at: nothing is written unless the order still has it. */
  version: number;
  status: string;
  at: Date;
  superseded: { id: string; failureMessage: string }[];
  payment?: { id: string; provider: string; method: string; amount: number; currency: string; captureMethod?: string | null };
  events: AttemptEvent[];
}

/**
 * Payment attempts in plain SQL (no unit of work): the order as an attempt decides from it in
 * one statement, and the attempt's write in one short transaction whose first statement is the
 * optimistic-lock check on the order (`version`), so two writers of one order cannot both commit.
 */
export class AttemptStore {
  constructor(
    /** Where the read goes (SQLite: the read-only connections beside the writer). */
    private readonly readKnex: () => Knex,
    /** The writer. */
    private readonly knex: () => Knex,
    private readonly dialect: DbDialect,
  ) {}

  /** The order with its lines and attempts, or null: one statement. */
  async read(orderId: string): Promise<PayableOrder | null> {
    const knex = this.readKnex();
    const relations = RELATIONS.filter((r) => r.name === 'items' || r.name === 'payments').map((r) => knex.raw(aggregateSql(this.dialect, r)));
    const query = knex({ o: 'orders' })
      .select(['o.id', 'o.status', 'o.version', 'o.amount', 'o.currency', 'o.customer_email', ...relations])
      .where('o.id', orderId);
    const [row] = await executorFor(knex, this.dialect === 'sqlite').rows(query);
    if (!row) return null;
    const rows = (value: unknown): unknown[][] => (typeof value === 'string' ? JSON.parse(value) : ((value as unknown[][] | null) ?? []));
    const columns = (name: string) => RELATIONS.find((r) => r.name === name)!.columns;
    const asRow = (name: string, values: unknown[]): Row => Object.fromEntries(columns(name).map((c, i) => [c, values[i]]));
    return {
      id: row.id,
      status: row.status,
      version: Number(row.version),
      amount: Number(row.amount),
      currency: row.currency,
      customerEmail: row.customer_email ?? null,
      items: rows(row.items).map((v) => toItem(asRow('items', v))),
      payments: rows(row.payments).map((v) => toPayment(asRow('payments', v))),
    };
  }

  /** Writes it all in one transaction; false (nothing written) when the order's version moved on meanwhile. */
  async write(w: AttemptWrite): Promise<boolean> {
    const knex = this.knex();
    const date = (d: Date) => toDbDate(d, this.dialect);
    return executorFor(knex, this.dialect === 'sqlite').transaction(async (tx) => {
      const bumped = await tx.rows(
        knex('orders').update({ status: w.status, updated_at: date(w.at), version: knex.raw('version + 1') }).where({ id: w.orderId, version: w.version }).returning(['version']),
      );
      if (bumped.length === 0) return false;
      for (const s of w.superseded) {
        await tx.rows(knex('payments').update({ status: 'CANCELED', failure_message: s.failureMessage, updated_at: date(w.at) }).where({ id: s.id, status: 'OPEN' }));
      }
      if (w.payment) {
        const p = w.payment;
        await tx.rows(knex('payments').insert({
          id: p.id, order_id: w.orderId, provider: p.provider, method: p.method, status: 'OPEN', amount: p.amount, currency: p.currency,
          ...(p.captureMethod !== undefined ? { capture_method: p.captureMethod } : {}), created_at: date(w.at), updated_at: date(w.at),
        }));
      }
      if (w.events.length === 0) return true;
      const inserted = await tx.rows<{ sequence: number | string; type: string }>(knex('order_events').insert(w.events.map((e) => ({
        order_id: w.orderId, type: e.type, from_status: e.fromStatus, to_status: e.toStatus, source: e.source, message: e.message, at: date(e.at),
      }))).returning(['sequence', 'type']));
      // Matched back by type: an attempt's write appends at most one entry of each.
      const byType = new Map(w.events.map((e) => [e.type, e]));
      const outbox = inserted.filter((e) => byType.get(e.type)?.outboxed).map((e) => ({ event_sequence: Number(e.sequence), order_id: w.orderId, created_at: date(byType.get(e.type)!.at) }));
      if (outbox.length > 0) await tx.rows(knex('outbox_messages').insert(outbox));
      return true;
    });
  }
}
