import { Coalescer, type Settled } from '../../db/coalescer';
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

/** One provider answer about one of our attempts. */
interface Answer {
  provider: PaymentProvider;
  paymentId: string;
  answer: AttemptAnswer;
  source: string;
}

/**
 * A provider's answer about one of our attempts, applied by the PaymentReconciler exactly as its
 * webhook is (the same decisions, on the same detached facts the webhook applier's batch uses):
 * the attempt and its order's payments, refunds and disputes read in one short plain-SQL
 * transaction, decided in memory, what changed written set-based with the order's optimistic
 * lock. Answers that arrive while one is being written share the next transaction (a few set
 * queries and one commit for the group); a group that fails is applied answer by answer, so one
 * bad answer fails alone. Each caller is answered after its commit and the after-commit work.
 */
export class AttemptAnswers {
  private readonly grouped = new Coalescer<Answer, void>((answers) => this.applyGroup(answers));

  constructor(
    /** The writer (SQLite: the driver directly, on the connection held from knex's pool). */
    private readonly sql: () => SqlExecutor,
    private readonly tables: FactTables,
    private readonly sink: StatusChangeSink,
    private readonly reconciler: PaymentReconciler,
    /** PostgreSQL: other transactions write the same orders concurrently; the orders are locked before their facts are read. */
    private readonly lockOrders: boolean,
  ) {}

  apply(provider: PaymentProvider, paymentId: string, answer: AttemptAnswer, source: string): Promise<void> {
    return this.grouped.submit({ provider, paymentId, answer, source });
  }

  private async applyGroup(answers: Answer[]): Promise<Settled<void>[]> {
    if (answers.length > 1) {
      const work = await this.sql().transaction((db) => this.decide(db, answers)).catch(() => undefined);
      if (work) {
        await this.afterCommit(work);
        return answers.map(() => ({ ok: true, value: undefined }));
      }
    }
    const settled: Settled<void>[] = [];
    for (const a of answers) settled.push(await this.applyAlone(a).then(() => ({ ok: true as const, value: undefined }), (error: unknown) => ({ ok: false as const, error })));
    return settled;
  }

  /** One answer in its own transaction, run again on fresh facts when another writer changed them since they were read. */
  private async applyAlone(answer: Answer): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let work: DetachedOrderWork;
      try {
        work = await this.sql().transaction((db) => this.decide(db, [answer]));
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
      return this.afterCommit(work);
    }
  }

  /** Reads the facts the answers are about, lets the reconciler decide each in turn, writes what changed. */
  private async decide(db: SqlExecutor, answers: Answer[]): Promise<DetachedOrderWork> {
    const lookups = answers.map((a) => ({ provider: a.provider, ref: { paymentId: a.paymentId } }));
    const uow = new DetachedOrderWork(await loadDetachedFacts(db, this.tables, lookups, { lockOrders: this.lockOrders }));
    for (const { provider, paymentId, answer, source } of answers) {
      const payment = uow.facts.payments.find((p) => p.entity.id === paymentId)?.entity;
      if (!payment) throw new NotFoundError('Payment', paymentId);
      payment.providerSessionId ??= answer.ids.sessionId ?? null;
      payment.providerPaymentId ??= answer.ids.providerPaymentId ?? null;
      payment.providerChargeId ??= answer.ids.chargeId ?? null;
      // Facts are pinned to our attempt.
      for (const action of answer.actions) {
        await this.reconciler.apply(uow, provider, 'ref' in action ? { ...action, ref: { ...action.ref, paymentId } as PaymentRef } : action, source);
      }
    }
    await writeDetachedFacts(db, this.tables, uow);
    return uow;
  }

  private async afterCommit(work: DetachedOrderWork): Promise<void> {
    for (const change of work.changes) this.sink.publish(change);
    // Each task handles (and logs) its own failure: the transaction's own result stands.
    for (const task of work.afterCommit) await task().catch(() => undefined);
  }
}
