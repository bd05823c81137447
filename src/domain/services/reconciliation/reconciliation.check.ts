import type { EntityManager } from '@mikro-orm/core';
import { PaymentEntity, RefundEntity, type OrderEntity } from '../../../db/entities';
import type { PaymentAction, PaymentRef } from '../../providers/provider-events';
import type { ProviderRegistry } from '../../providers/provider-registry';
import { RefundStatus } from '../../../model/payment-types';
import { inOrderTransaction, PROVIDER_ANSWER_RETRIES, type OrderUnitOfWork } from '../order-transaction';
import type { PaymentReconciler } from '../payment-reconciler';
import type { StatusChangeSink } from '../../../model/status-change';

/** What asking the provider about one attempt or refund came to. */
export type CheckResult = 'changed' | 'unchanged';

/**
 * Asks the provider about one payment attempt or one refund and applies its answer as provider
 * facts, through the same reconciler and state machine as a webhook, in one order transaction
 * (whose after-commit work, such as the automatic refund of a late payment, then runs). Each
 * fact's source is `reconcile:<provider object id>`. Provider errors are thrown to the caller.
 */
export class ReconcileCheck {
  constructor(
    private readonly em: EntityManager,
    private readonly sink: StatusChangeSink,
    private readonly providers: ProviderRegistry,
    private readonly reconciler: PaymentReconciler,
  ) {}

  async payment(paymentId: string, onCall: () => void): Promise<CheckResult> {
    const payment = await this.em.fork().findOne(PaymentEntity, paymentId);
    if (!payment || !this.providers.has(payment.provider)) return 'unchanged';
    const ref = refOf(payment);
    const facts = await this.providers.get(payment.provider).retrievePayment(ref, onCall);
    return this.apply(payment.provider, payment.id, facts, payment.providerSessionId ?? payment.providerPaymentId ?? payment.id);
  }

  async refund(refundId: string, onCall: () => void): Promise<CheckResult> {
    const refund = await this.em.fork().findOne(RefundEntity, refundId, { populate: ['payment'] });
    if (!refund || !this.providers.has(refund.payment.provider)) return 'unchanged';
    // Without the provider's refund id (its answer was lost) the refund is found among the
    // payment's refunds, by our id in its metadata / custom_id.
    if (!refund.providerRefundId) return this.payment(refund.payment.id, onCall);
    const facts = await this.providers.get(refund.payment.provider).retrieveRefund(refund.providerRefundId, refOf(refund.payment), onCall);
    return this.apply(refund.payment.provider, refund.payment.id, facts, refund.providerRefundId);
  }

  private async apply(provider: PaymentEntity['provider'], paymentId: string, facts: PaymentAction[], askedId: string): Promise<CheckResult> {
    // An approval is not money: the buyer's capture, or the order's expiry, will be the fact.
    const relevant = facts.filter((f) => f.kind !== 'ignored' && f.kind !== 'payment_approved');
    if (relevant.length === 0) return 'unchanged';
    return inOrderTransaction(
      this.em,
      this.sink,
      async (uow) => {
        const payment = await uow.em.findOneOrFail(PaymentEntity, paymentId, { populate: ['order', 'order.refunds'] });
        const order = payment.order;
        const before = new Map(order.refunds.getItems().map((r) => [r.id, r.status]));
        for (const fact of relevant) {
          const source = `reconcile:${sourceIdOf(fact) ?? askedId}`;
          await this.reconciler.apply(uow, provider, fact, source);
          if (fact.kind === 'refund_state') this.recordRefundChange(uow, order, fact, before, source);
        }
        return uow.changes.length > 0 ? 'changed' : 'unchanged';
      },
      { retriesOnConflict: PROVIDER_ANSWER_RETRIES },
    );
  }

  /** A refund's own change (PENDING → SUCCEEDED, SUCCEEDED → FAILED, imported) goes into the order's log. */
  private recordRefundChange(uow: OrderUnitOfWork, order: OrderEntity, fact: Extract<PaymentAction, { kind: 'refund_state' }>, before: Map<string, RefundStatus>, source: string): void {
    if (!order.refunds.isInitialized()) return;
    const refund = order.refunds.getItems().find((r) => r.providerRefundId === fact.refund.providerRefundId || r.id === fact.refund.refundId);
    if (!refund) return;
    const was = before.get(refund.id);
    if (was === refund.status) return;
    before.set(refund.id, refund.status);
    const why = refund.status === RefundStatus.FAILED && fact.refund.failureMessage ? ` (${fact.refund.failureMessage})` : '';
    const what = was ? `${was} → ${refund.status}` : `made at the provider, ${refund.status}`;
    uow.record(order, 'REFUND_RECONCILED', source, `refund ${fact.refund.providerRefundId} of ${refund.amount}: ${what}${why}`);
  }
}

function refOf(payment: PaymentEntity): PaymentRef {
  return {
    paymentId: payment.id,
    sessionId: payment.providerSessionId ?? undefined,
    providerPaymentId: payment.providerPaymentId ?? undefined,
    chargeId: payment.providerChargeId ?? undefined,
  };
}

function sourceIdOf(fact: PaymentAction): string | undefined {
  if (fact.kind === 'refund_state') return fact.refund.providerRefundId;
  if (fact.kind === 'dispute_opened' || fact.kind === 'dispute_closed') return fact.disputeId;
  if (fact.kind === 'ignored') return undefined;
  return fact.ref.sessionId ?? fact.ref.providerPaymentId ?? fact.ref.chargeId;
}
