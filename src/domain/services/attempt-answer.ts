import type { SqlExecutor } from '../../db/sql-executor';
import { ConflictError, NotFoundError } from '../errors';
import type { AttemptAnswer } from '../providers/payment-provider';
import type { PaymentRef } from '../providers/provider-events';
import type { PaymentProvider } from '../../model/payment-types';
import type { StatusChangeSink } from '../../model/status-change';
import { DetachedOrderWork, loadDetachedFacts, type FactTables } from './detached-facts';
import { StaleFactsError, writeDetachedFacts } from './detached-facts.write';
import { PROVIDER_ANSWER_RETRIES } from './order-transaction';
import type { PaymentReconciler } from './payment-reconciler';

/**
 * A provider's answer about one of our attempts, applied by the PaymentReconciler exactly as its
 * webhook is (the same decisions, on the same detached facts the webhook applier's batch uses):
 * the attempt and its order's payments, refunds and disputes read in one short plain-SQL
 * transaction, decided in memory, what changed written set-based with the order's optimistic
 * lock. When the provider's webhook wrote the order meanwhile, it runs again on fresh facts.
 */
export class AttemptAnswers {
  constructor(
    /** The writer (SQLite: the driver directly, on the connection held from knex's pool). */
    private readonly sql: () => SqlExecutor,
    private readonly tables: FactTables,
    private readonly sink: StatusChangeSink,
    private readonly reconciler: PaymentReconciler,
    /** PostgreSQL: other transactions write the same orders concurrently; the order is locked before its facts are read. */
    private readonly lockOrders: boolean,
  ) {}

  async apply(provider: PaymentProvider, paymentId: string, answer: AttemptAnswer, source: string): Promise<void> {
    const { ids, actions } = answer;
    for (let attempt = 0; ; attempt++) {
      let work: DetachedOrderWork;
      try {
        work = await this.sql().transaction(async (db) => {
          const uow = new DetachedOrderWork(await loadDetachedFacts(db, this.tables, [{ provider, ref: { paymentId } }], { lockOrders: this.lockOrders }));
          const payment = uow.facts.payments.find((p) => p.entity.id === paymentId)?.entity;
          if (!payment) throw new NotFoundError('Payment', paymentId);
          payment.providerSessionId ??= ids.sessionId ?? null;
          payment.providerPaymentId ??= ids.providerPaymentId ?? null;
          payment.providerChargeId ??= ids.chargeId ?? null;
          // Facts are pinned to our attempt.
          for (const action of actions) await this.reconciler.apply(uow, provider, 'ref' in action ? { ...action, ref: { ...action.ref, paymentId } as PaymentRef } : action, source);
          await writeDetachedFacts(db, this.tables, uow);
          return uow;
        });
      } catch (error) {
        // SQLite: a second process on the file committed after this transaction read ("database
        // is locked" at once in WAL mode): nothing was written, and the work re-reads.
        const busy = (error as { code?: string }).code === 'SQLITE_BUSY';
        if (!(error instanceof StaleFactsError) && !busy) throw error;
        if (attempt < PROVIDER_ANSWER_RETRIES) {
          if (busy) await new Promise((resolve) => setTimeout(resolve, 5 * (attempt + 1)));
          continue;
        }
        throw new ConflictError('The order was changed by another request at the same time; retry');
      }
      for (const change of work.changes) this.sink.publish(change);
      // Each task handles (and logs) its own failure: the transaction's own result stands.
      for (const task of work.afterCommit) await task().catch(() => undefined);
      return;
    }
  }
}
