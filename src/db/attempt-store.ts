import type { Knex } from '@mikro-orm/knex';
import type { PayableOrder } from '../model/payable-order';
import { toDbDate, type DbDialect } from './db-dates';
import { RELATIONS, aggregateSql, toItem, toPayment, type Row } from './order-rows';
import { Coalescer, type Settled } from './coalescer';
import { driverExecutorFor, type SqlExecutor } from './sql-executor';
import { writeClaims } from './attempt-claims';
import { CompiledShapes } from './compiled-shapes';

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

  /**
   * The order with its lines and attempts, or null: one statement. Concurrent requests' reads
   * share it (see Coalescer: ids asked for while a read is in flight are read together next, and
   * a read asked for after a commit still starts after it).
   */
  async read(orderId: string): Promise<PayableOrder | null> {
    const row = await this.reads.submit(orderId);
    return row ? toPayable(row) : null;
  }

  private readonly reads = new Coalescer<string, Row | null>(async (ids) => {
    const distinct = [...new Set(ids)];
    const knex = this.readKnex();
    const build = () => {
      const relations = RELATIONS.filter((r) => r.name === 'items' || r.name === 'payments').map((r) => knex.raw(aggregateSql(this.dialect, r)));
      return knex({ o: 'orders' }).select(['o.id', 'o.status', 'o.version', 'o.amount', 'o.currency', 'o.customer_email', ...relations]).whereIn('o.id', distinct);
    };
    const rows = await driverExecutorFor(knex, this.dialect).rows<Row>(this.shapes.statement(knex, `payable:${distinct.length}`, distinct, build));
    const byId = new Map(rows.map((r) => [String(r.id), r]));
    return ids.map((id) => ({ ok: true, value: byId.get(id) ?? null }));
  });

  private readonly shapes = new CompiledShapes();

  /**
   * Stores provider ids an attempt's create call answered with, where none is stored yet (a
   * webhook may have taught them first), and the log entry that says so if any: one UPDATE (and
   * one INSERT, in one transaction), for an answer that changes no status.
   */
  async learnIds(paymentId: string, ids: { sessionId?: string; providerPaymentId?: string; chargeId?: string }, note?: { orderId: string; event: AttemptEvent }): Promise<void> {
    const knex = this.knex();
    const date = (d: Date) => toDbDate(d, this.dialect);
    const keep = (column: string, value: string | undefined) => (value ? { [column]: knex.raw('coalesce(??, ?)', [column, value]) } : {});
    const set = { ...keep('provider_session_id', ids.sessionId), ...keep('provider_payment_id', ids.providerPaymentId), ...keep('provider_charge_id', ids.chargeId) };
    const update = knex('payments').update({ ...set, updated_at: date(new Date()) }).where('id', paymentId);
    if (!note) {
      if (Object.keys(set).length > 0) await this.sql().rows(update);
      return;
    }
    const { orderId, event: e } = note;
    await this.sql().transaction(async (tx) => {
      await tx.rows(update);
      await tx.rows(knex('order_events').insert({ order_id: orderId, type: e.type, from_status: e.fromStatus, to_status: e.toStatus, source: e.source, message: e.message, at: date(e.at) }));
    });
  }

  /**
   * Writes it all in one transaction; false (nothing written) when the order's version moved on
   * meanwhile. Claims that arrive while a commit is in flight share the next one (one insert per
   * table for the group, one commit); each caller is answered after that commit. A group that
   * fails is written again claim by claim, so one bad claim fails only itself.
   */
  write(w: AttemptWrite): Promise<boolean> {
    return this.grouped.submit(w);
  }

  private readonly grouped = new Coalescer<AttemptWrite, boolean>(async (writes) => {
    if (writes.length === 1) return [{ ok: true, value: await this.writeAlone(writes[0]) }];
    try {
      return (await this.sql().transaction((tx) => writeClaims(tx, this.knex(), this.dialect, writes))).map((value) => ({ ok: true as const, value }));
    } catch {
      const settled: Settled<boolean>[] = [];
      for (const w of writes) settled.push(await this.writeAlone(w).then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })));
      return settled;
    }
  });

  private sql(): SqlExecutor {
    return driverExecutorFor(this.knex(), this.dialect);
  }

  private async writeAlone(w: AttemptWrite): Promise<boolean> {
    const [written] = await this.sql().transaction((tx) => writeClaims(tx, this.knex(), this.dialect, [w]));
    return written;
  }
}

/** A read row as the attempt decides from it (a fresh object per caller: callers may share one row). */
function toPayable(row: Row): PayableOrder {
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
