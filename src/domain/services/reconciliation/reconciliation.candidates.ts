import type { Knex } from '@mikro-orm/knex';
import { PaymentStatus, RefundStatus } from '../../../model/payment-types';
import { OPEN_PAYMENT_STATUSES } from '../../payment-state-machine';

/** What a round looks at, longest-unchecked first. */
export interface ReconcileWindow {
  /** Checked only once unchanged (and unchecked) this long. */
  afterMs: number;
  /** Paid attempts created within this window are checked for refunds and disputes made at the provider. */
  lookbackMs: number;
}

/**
 * Id-only queries for a round: cheap, indexed by status, ordered so that an attempt still open at
 * the provider (a Checkout Session lives 24 hours) goes to the back of the line once checked and
 * cannot starve the others.
 */
export class ReconcileCandidates {
  constructor(
    private readonly knex: Knex,
    private readonly kind: 'sqlite' | 'postgresql',
    private readonly window: ReconcileWindow,
  ) {}

  /** Attempts still OPEN / PROCESSING / REQUIRES_ACTION with us, and authorizations (they may have lapsed or been voided at the provider). */
  stuckPayments(limit: number, now = Date.now()): Promise<string[]> {
    return this.ids('payments', (q) => q.whereIn('status', [...OPEN_PAYMENT_STATUSES, PaymentStatus.AUTHORIZED]), limit, now);
  }

  /** Refunds still PENDING with us. */
  pendingRefunds(limit: number, now = Date.now()): Promise<string[]> {
    return this.ids('refunds', (q) => q.where('status', RefundStatus.PENDING), limit, now);
  }

  /** Captured attempts within the lookback window: the provider may hold refunds or disputes we never heard of. */
  paidPayments(limit: number, now = Date.now()): Promise<string[]> {
    return this.ids('payments', (q) => q.where('status', PaymentStatus.SUCCEEDED).andWhere('created_at', '>=', this.date(now - this.window.lookbackMs)), limit, now);
  }

  /** Records that the provider was asked about these rows now. */
  async markChecked(table: 'payments' | 'refunds', ids: string[], now = Date.now()): Promise<void> {
    if (ids.length > 0) await this.knex(table).whereIn('id', ids).update({ reconciled_at: this.date(now) });
  }

  private async ids(table: 'payments' | 'refunds', where: (q: Knex.QueryBuilder) => Knex.QueryBuilder, limit: number, now: number): Promise<string[]> {
    if (limit <= 0) return [];
    const cutoff = this.date(now - this.window.afterMs);
    const rows = (await where(this.knex(table).select('id'))
      .andWhere('updated_at', '<=', cutoff)
      .andWhere((q) => q.whereNull('reconciled_at').orWhere('reconciled_at', '<=', cutoff))
      .orderByRaw('coalesce(reconciled_at, created_at) asc')
      .limit(limit)) as { id: string }[];
    return rows.map((r) => String(r.id));
  }

  /** SQLite stores dates as epoch milliseconds (as MikroORM does); PostgreSQL as timestamptz. */
  private date(ms: number): Date | number {
    return this.kind === 'sqlite' ? ms : new Date(ms);
  }
}
