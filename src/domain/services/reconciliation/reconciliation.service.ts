import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import { OrderEntity, PaymentEntity } from '../../../db/entities';
import type { Logger } from '../../../logging/logger';
import type { ProviderRegistry } from '../../providers/provider-registry';
import { NotFoundError, ProviderError } from '../../errors';
import { PaymentStatus, RefundStatus } from '../../../model/payment-types';
import { OPEN_PAYMENT_STATUSES } from '../../payment-state-machine';
import type { PaymentReconciler } from '../payment-reconciler';
import type { StatusChangeSink } from '../../../model/status-change';
import { ReconcileCandidates } from './reconciliation.candidates';
import { ReconcileCheck } from './reconciliation.check';
import { ReconcileLease } from './reconciliation.lease';

/** The RECONCILE_* settings, in milliseconds. */
export interface ReconcileOptions {
  intervalMs: number;
  afterMs: number;
  lookbackMs: number;
  batch: number;
}

/** What one round did, also logged as its summary line. */
export interface RoundSummary {
  checked: number;
  changed: number;
  failed: number;
  calls: number;
  /** When the round began (epoch ms); the log line's own time is when it ended. */
  startedAt: number;
  /** Why the round ended before its work list did (a provider down or rate limiting), if it did. */
  stoppedEarly?: string;
}

/** A provider that is down or limiting us: the round stops asking it (and, when none is left, ends). */
function isOutage(error: unknown): error is ProviderError {
  return error instanceof ProviderError && (error.retryable || isRateLimit(error));
}

function isRateLimit(error: ProviderError): boolean {
  return error.providerCode === 'rate_limit' || error.providerCode === 'RATE_LIMIT_REACHED';
}

/**
 * The scheduled provider status sync (README "Reconciliation"). Every `intervalMs`, one instance
 * (holding the lease) asks the providers about attempts and refunds still open after `afterMs`,
 * then about paid attempts within `lookbackMs` (refunds and disputes made at the provider), at
 * most `batch` provider calls a round, and applies the answers as facts. `reconcileOrder` runs the
 * same checks for one order at once.
 */
export class ReconciliationService {
  private readonly lease: ReconcileLease;
  private readonly candidates: ReconcileCandidates;
  private readonly check: ReconcileCheck;
  private timer?: NodeJS.Timeout;
  private running?: Promise<RoundSummary | undefined>;
  private stopped = true;
  /** Set by stop(): a round in progress ends after its current check. */
  private closing = false;
  /** After a rate-limit answer, no round before this time (ms). */
  private pausedUntil = 0;

  constructor(
    private readonly em: EntityManager,
    sink: StatusChangeSink,
    providers: ProviderRegistry,
    reconciler: PaymentReconciler,
    private readonly logger: Logger,
    private readonly options: ReconcileOptions,
    database: 'sqlite' | 'postgresql',
  ) {
    const knex = (em.getConnection() as AbstractSqlConnection).getKnex();
    // A round renews the lease after every check; one that stops renewing for this long is dead.
    this.lease = new ReconcileLease(knex, `${process.pid}-${randomUUID()}`, Math.max(30_000, 2 * options.intervalMs));
    this.candidates = new ReconcileCandidates(knex, database, options);
    this.check = new ReconcileCheck(em, sink, providers, reconciler);
  }

  /** Starts the schedule (nothing when RECONCILE_INTERVAL_SECONDS is 0); the first round runs after one interval. */
  start(): void {
    if (this.options.intervalMs <= 0 || !this.stopped) return;
    this.stopped = false;
    this.closing = false;
    this.schedule();
  }

  /** Stops the schedule and waits for a round in progress, which then gives its lease up. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * One round, if this instance gets the lease (undefined otherwise). Exposed for the schedule and
   * for tests; never throws: a failure is logged and the next round tries again.
   */
  async runRound(): Promise<RoundSummary | undefined> {
    if (Date.now() < this.pausedUntil) return undefined;
    if (!(await this.lease.acquire())) return undefined;
    try {
      const summary = await this.round();
      this.logger.info({ reconcile: summary }, `reconcile round: ${summary.checked} checked, ${summary.changed} changed, ${summary.failed} failed`);
      return summary;
    } catch (error) {
      this.logger.error({ err: error }, 'reconcile round failed');
      return undefined;
    } finally {
      await this.lease.release().catch(() => undefined);
    }
  }

  /** `reconcileOrder`: every attempt of the order that is open, authorized or paid, and its pending refunds, asked now. */
  async reconcileOrder(orderId: string): Promise<void> {
    const order = await this.em.fork().findOne(OrderEntity, orderId, { populate: ['payments', 'refunds'] });
    if (!order) throw new NotFoundError('Order', orderId);
    const asked = new Set([...OPEN_PAYMENT_STATUSES, PaymentStatus.AUTHORIZED, PaymentStatus.SUCCEEDED]);
    const none = () => undefined;
    for (const payment of order.payments.getItems().filter((p: PaymentEntity) => asked.has(p.status))) await this.check.payment(payment.id, none);
    for (const refund of order.refunds.getItems().filter((r) => r.status === RefundStatus.PENDING && r.providerRefundId)) await this.check.refund(refund.id, none);
    const now = Date.now();
    await this.candidates.markChecked('payments', order.payments.getItems().map((p) => p.id), now);
  }

  private async round(): Promise<RoundSummary> {
    const summary: RoundSummary = { checked: 0, changed: 0, failed: 0, calls: 0, startedAt: Date.now() };
    const { batch } = this.options;
    // Calls are spread over at most half the interval rather than sent in a burst.
    const gapMs = Math.min(200, Math.floor(this.options.intervalMs / (2 * batch)));
    const work: { table: 'payments' | 'refunds'; id: string }[] = [
      ...(await this.candidates.stuckPayments(batch)).map((id) => ({ table: 'payments' as const, id })),
      ...(await this.candidates.pendingRefunds(batch)).map((id) => ({ table: 'refunds' as const, id })),
    ];
    if (work.length < batch) work.push(...(await this.candidates.paidPayments(batch - work.length)).map((id) => ({ table: 'payments' as const, id })));
    const onCall = () => void summary.calls++;
    for (const item of work) {
      if (this.closing) break;
      if (summary.calls >= batch) break;
      try {
        const result = item.table === 'payments' ? await this.check.payment(item.id, onCall) : await this.check.refund(item.id, onCall);
        summary.checked++;
        if (result === 'changed') summary.changed++;
        await this.candidates.markChecked(item.table, [item.id]);
      } catch (error) {
        if (isOutage(error)) {
          // A rate limit pauses every round for as long as the provider said (Retry-After), else a minute.
          if (isRateLimit(error)) this.pausedUntil = Date.now() + (error.retryAfterMs ?? Math.max(60_000, this.options.intervalMs));
          summary.stoppedEarly = `${error.provider} ${isRateLimit(error) ? 'is rate limiting us' : 'is unavailable'} (${error.providerCode ?? 'no code'})`;
          this.logger.warn({ provider: error.provider, providerCode: error.providerCode }, `reconcile round stopped early: ${summary.stoppedEarly}; the next round tries again`);
          break;
        }
        summary.failed++;
        // Asked and answered with a refusal: back of the line, not asked again at once.
        await this.candidates.markChecked(item.table, [item.id]).catch(() => undefined);
        this.logger.warn({ err: error, [item.table === 'payments' ? 'paymentId' : 'refundId']: item.id }, 'reconcile check failed');
      }
      if (!(await this.lease.renew())) break;
      if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    }
    return summary;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runRound().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.options.intervalMs);
    this.timer.unref();
  }
}
