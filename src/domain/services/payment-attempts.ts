import type { EntityManager } from '@mikro-orm/core';
import type { AttemptStore } from '../../db/attempt-store';
import { OrderEntity, type PaymentEntity } from '../../db/entities';
import { ConflictError, NotFoundError } from '../errors';
import type { PayableOrder } from '../../model/payable-order';
import { PaymentProvider } from '../../model/payment-types';
import type { AttemptAnswer } from '../providers/payment-provider';
import type { PaymentAction, PaymentRef } from '../providers/provider-events';
import type { PaymentProviders } from '../providers/provider-registry';
import { CLOSED_IN_OUR_RECORDS } from './attempt-supersede';
import { planOpen, type OpenAttempt, type OpenedAttempt } from './attempt-open';
import { createCallUnanswered, openableOrFail, openAttempts, unknownOutcome } from './attempt-rules';
import type { AttemptAnswers } from './attempt-answer';
import { inOrderTransaction, PROVIDER_ANSWER_RETRIES } from './order-transaction';
import type { AttemptFacts } from './payment-claim';
import type { PaymentReconciler } from './payment-reconciler';
import type { StatusChangeSink } from '../../model/status-change';
import { isOutboxed } from '../outboxed-events';

export type { OpenAttempt, OpenedAttempt } from './attempt-open';
export { assertOpenable, createCallUnanswered, lineOf, openAttempts, unknownOutcome } from './attempt-rules';

/** Re-decisions of a claim whose order another request wrote between its read and its commit. */
const OPEN_RETRIES = 3;

/**
 * The payment-attempt lifecycle, for every provider (payment-claim.ts is the rule it keeps):
 * an attempt is opened only on an order that can take a payment, after every other open attempt
 * is closed — at its provider through the provider contract (`closeAttempt`), or in our own
 * records for a provider whose attempts move no money until we capture them — and a provider's
 * answer is recorded as facts, in a transaction retried when a webhook wrote the order meanwhile.
 */
export class PaymentAttempts {
  constructor(
    private readonly em: EntityManager,
    private readonly sink: StatusChangeSink,
    private readonly providers: PaymentProviders,
    private readonly reconciler: PaymentReconciler,
    private readonly store: AttemptStore,
    private readonly answers: AttemptAnswers,
  ) {}

  /** The order with its lines and attempts (one plain-SQL read, outside any transaction: provider calls come in between). */
  async loadOpenable(orderId: string): Promise<PayableOrder> {
    return openableOrFail(await this.store.read(orderId), orderId);
  }

  /** Closes one open attempt at its provider and records what the answer proves (it may be paid already). */
  async close(attempt: Pick<PaymentEntity, 'id' | 'provider' | 'providerSessionId' | 'providerPaymentId'>, source: string): Promise<void> {
    const adapter = this.providers.get(attempt.provider);
    const ref: PaymentRef = { paymentId: attempt.id, sessionId: attempt.providerSessionId ?? undefined, providerPaymentId: attempt.providerPaymentId ?? undefined };
    const answer = await adapter.closeAttempt?.({ paymentId: attempt.id, ref });
    if (answer) await this.record(attempt.provider, attempt.id, answer, source);
  }

  /**
   * Closes, at their providers, the order's open attempts of every provider but `except`, so that
   * another attempt (or the cancellation) is the only thing left. An attempt whose create call
   * never got an answer blocks this: it may have charged. `seen`: the order as just read (no
   * second read). Says whether anything was closed (a `seen` order is then out of date).
   */
  async closeOpenAttempts(orderId: string, source: string, except?: PaymentProvider, seen?: PayableOrder): Promise<boolean> {
    // No configured provider closes anything with a call: nothing to read either.
    if (!Object.values(PaymentProvider).some((p) => p !== except && this.closesAtProvider(p))) return false;
    const order = seen ?? (await this.em.fork().findOne(OrderEntity, { id: orderId }, { populate: ['payments'] }));
    if (!order) return false;
    let closed = false;
    for (const attempt of openAttempts<AttemptFacts & Pick<PaymentEntity, 'providerSessionId' | 'providerPaymentId'>>(order)) {
      if (attempt.provider === except || !this.closesAtProvider(attempt.provider)) continue;
      if (createCallUnanswered(attempt)) throw unknownOutcome(attempt);
      await this.close(attempt, source);
      closed = true;
    }
    return closed;
  }

  /**
   * The claim of payment-claim.ts: stores the attempt (or re-opens the unanswered one) and moves
   * the order to PENDING in one transaction, before the provider is called. Attempts closed in
   * our records are superseded in the same commit; an attempt of the same provider still open
   * at the provider, or any other that may move money, is a CONFLICT. Decided on `seen` (the
   * order as the caller read it, when nothing changed it since) or a fresh read; the write checks
   * the order's version, and a claim another writer overtook is decided again on a fresh read.
   */
  async open(request: OpenAttempt, seen?: PayableOrder): Promise<OpenedAttempt> {
    for (let attempt = 0; ; attempt++) {
      const order = seen ?? (await this.store.read(request.orderId));
      if (!order) throw new NotFoundError('Order', request.orderId);
      seen = undefined;
      const plan = planOpen(order, request, (provider) => this.closesAtProvider(provider));
      if (await this.store.write(plan.write)) {
        if (plan.change) this.sink.publish(plan.change);
        return plan.opened;
      }
      if (attempt >= OPEN_RETRIES) throw new ConflictError('The order was changed by another request at the same time; retry');
    }
  }

  /**
   * Records a provider's answer about our attempt exactly as its webhook would be applied (the
   * PaymentReconciler), after storing the ids it taught us, in one transaction re-run when the
   * provider's webhook wrote the order at the same moment. Facts are pinned to our attempt.
   */
  async record(provider: PaymentProvider, paymentId: string, answer: AttemptAnswer, source: string): Promise<void> {
    const { ids, actions } = answer;
    // Ids alone change no status and decide nothing: one plain UPDATE, no unit of work.
    if (actions.every((a) => a.kind === 'ignored')) return this.store.learnIds(paymentId, ids);
    await this.answers.apply(provider, paymentId, answer, source);
  }

  /** The provider's ids for an attempt it created, with the log entry that says so: one short plain transaction (no status changes). */
  async noteCreated(orderId: string, paymentId: string, ids: AttemptAnswer['ids'], source: string, type: string, message: string): Promise<void> {
    const event = { type, fromStatus: null, toStatus: null, source, message, at: new Date(), outboxed: isOutboxed(type) };
    if (event.outboxed) throw new Error(`${type} changes what subscribers hear of: it goes through the unit of work`);
    await this.store.learnIds(paymentId, ids, { orderId, event });
  }

  /** Applies provider facts as they are, in one transaction re-run when a webhook wrote the order meanwhile. */
  async recordFacts(provider: PaymentProvider, actions: PaymentAction[], source: string): Promise<void> {
    await inOrderTransaction(this.em, this.sink, async (uow) => {
      for (const action of actions) await this.reconciler.apply(uow, provider, action, source);
    }, { retriesOnConflict: PROVIDER_ANSWER_RETRIES });
  }

  /** Is an attempt of this provider closed by a provider call (not only in our records)? Unconfigured: left alone. */
  private closesAtProvider(provider: PaymentProvider): boolean {
    return !CLOSED_IN_OUR_RECORDS.has(provider) && this.providers.has(provider);
  }
}
