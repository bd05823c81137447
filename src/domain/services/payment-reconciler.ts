import type { PaymentEntity } from '../../db/entities';
import type { PaymentAction, PaymentRef, ProviderRefundState } from '../providers/provider-events';
import { DisputeStatus } from '../../model/dispute-status';
import { OrderStatus } from '../../model/order-status';
import { PaymentStatus, RefundStatus, type PaymentProvider } from '../../model/payment-types';
import { checkSucceeded, releaseRest } from './authorization-captures';
import { recordDispute } from './dispute-facts';
import { lateReason, LatePayments } from './late-payments';
import { movePayment, moveRefund } from '../payment-state-machine';
import { settleOrder, VOIDED } from './order-settlement';
import type { OrderWork } from './order-work';

/** What applying one action did, for the webhook inbox's record. */
export interface ApplyOutcome {
  orderId?: string;
  outcome: string;
}

/**
 * Applies provider facts (from a webhook or a synchronous provider answer: one code path)
 * to our payments and refunds, then settles the order's status from the facts.
 */
export class PaymentReconciler {
  constructor(readonly latePayments: LatePayments = new LatePayments()) {}

  async apply(uow: OrderWork, provider: PaymentProvider, action: PaymentAction, source: string): Promise<ApplyOutcome> {
    if (action.kind === 'ignored') return { outcome: `IGNORED: ${action.reason}` };
    const payment = await uow.findPayment(provider, action.ref);
    if (!payment) return { outcome: 'IGNORED: no payment of ours matches this event' };
    const order = payment.order;
    learnIds(payment, action.ref);

    switch (action.kind) {
      case 'payment_authorized':
        if (action.amount !== payment.amount || action.currency.toUpperCase() !== payment.currency) {
          uow.record(order, 'NEEDS_ATTENTION', source, `provider authorized ${action.amount} ${action.currency}, attempt was ${payment.amount} ${payment.currency}`);
          return { orderId: order.id, outcome: 'AMOUNT_MISMATCH' };
        }
        movePayment(payment, PaymentStatus.AUTHORIZED);
        break;
      case 'payment_succeeded':
        // A manual capture takes what the admin asked for (a partial capture releases the rest); PayPal's are kept one by one.
        {
          const { mismatch, further } = checkSucceeded(payment, action);
          if (mismatch) {
            uow.record(order, 'NEEDS_ATTENTION', source, mismatch);
            return { orderId: order.id, outcome: 'AMOUNT_MISMATCH' };
          }
          if (further) uow.record(order, 'PAYMENT_CAPTURED', source, further);
          const why = lateReason(order, payment);
          if (why) {
            this.latePayments.refund(uow, payment, why, source);
            return { orderId: order.id, outcome: 'LATE_PAYMENT_REFUNDED' };
          }
          if (payment.autoRefundReason) this.latePayments.resendIfUnanswered(uow, payment, source);
        }
        movePayment(payment, PaymentStatus.SUCCEEDED);
        break;
      case 'payment_processing':
        movePayment(payment, PaymentStatus.PROCESSING);
        break;
      case 'payment_requires_action':
        movePayment(payment, PaymentStatus.REQUIRES_ACTION);
        break;
      case 'payment_failed':
        if (movePayment(payment, PaymentStatus.FAILED)) {
          payment.failureCode = action.code ?? null;
          payment.failureMessage = action.message ?? null;
          uow.record(order, 'PAYMENT_FAILED', source, [action.code, action.message].filter(Boolean).join(': '));
        }
        break;
      case 'payment_expired':
        if (!releaseRest(payment)) movePayment(payment, PaymentStatus.EXPIRED);
        break;
      case 'payment_voided':
        if (releaseRest(payment)) uow.record(order, 'AUTHORIZATION_RELEASED', source, 'the uncaptured rest of the authorization was released');
        else if (movePayment(payment, PaymentStatus.CANCELED)) {
          payment.failureCode = VOIDED;
          uow.record(order, 'PAYMENT_VOIDED', source, 'the authorization was released; nothing was charged');
        }
        break;
      case 'payment_approved':
        uow.record(order, 'PAYMENT_APPROVED', source, 'the buyer approved the payment; capture pending');
        break;
      case 'refund_state':
        this.upsertRefund(uow, payment, action.refund, action.ref.chargeId);
        // A refund exists only for captured money: it proves the payment succeeded.
        if (action.refund.status !== RefundStatus.FAILED) movePayment(payment, PaymentStatus.SUCCEEDED);
        break;
      case 'refund_total':
        movePayment(payment, PaymentStatus.SUCCEEDED);
        break;
      case 'dispute_opened':
      case 'dispute_closed':
        this.applyDispute(uow, provider, payment, action, source);
        return { orderId: order.id, outcome: 'APPLIED' };
    }
    settleOrder(uow, order, source);
    return { orderId: order.id, outcome: 'APPLIED' };
  }

  /**
   * A dispute exists only for captured money, so it proves the payment; the dispute fact moves
   * forward only, and the order's status is then derived from all its facts. A lost dispute that
   * leaves the order DISPUTED is still announced (DISPUTED → DISPUTED), so subscribers hear of it.
   */
  private applyDispute(
    uow: OrderWork,
    provider: PaymentProvider,
    payment: PaymentEntity,
    action: Extract<PaymentAction, { kind: 'dispute_opened' | 'dispute_closed' }>,
    source: string,
  ): void {
    const order = payment.order;
    movePayment(payment, PaymentStatus.SUCCEEDED);
    const change = recordDispute(uow, payment, provider, { ...action, outcome: action.kind === 'dispute_closed' ? action.outcome : undefined });
    const note = change && `dispute ${action.disputeId} ${change.to.toLowerCase()}${change.to === DisputeStatus.OPEN && action.reason ? ` (${action.reason})` : ''}`;
    if (settleOrder(uow, order, source, note) || !change) return;
    if (change.to === DisputeStatus.LOST && order.status === OrderStatus.DISPUTED) uow.transition(order, OrderStatus.DISPUTED, source, note);
    else if (change.to === DisputeStatus.OPEN && order.status !== OrderStatus.DISPUTED) uow.record(order, 'NEEDS_ATTENTION', source, `${note} on a ${order.status} order`);
    else uow.record(order, `DISPUTE_${change.to}`, source, note);
  }

  /** Our refund (by our id or the provider's), else one made at the provider directly. */
  private upsertRefund(uow: OrderWork, payment: PaymentEntity, state: ProviderRefundState, chargeId?: string): void {
    const refunds = payment.order.refunds.getItems();
    let refund = refunds.find((r) => (state.refundId && r.id === state.refundId) || r.providerRefundId === state.providerRefundId);
    if (!refund) {
      refund = uow.addRefund({
        order: payment.order,
        payment,
        amount: state.amount,
        currency: state.currency.toUpperCase(),
        status: RefundStatus.PENDING,
        providerRefundId: state.providerRefundId,
        // Which capture it went against matters once a payment has several (refund-allocation.ts).
        providerChargeId: chargeId ?? null,
        reason: 'made at the provider',
      });
    }
    refund.providerRefundId ??= state.providerRefundId;
    const next = state.status as RefundStatus;
    if (moveRefund(refund, next)) refund.failureMessage = state.failureMessage ?? null;
  }
}

/** Events teach us provider ids we did not have yet (the PaymentIntent of a Checkout Session, a capture id). */
function learnIds(payment: PaymentEntity, ref: PaymentRef): void {
  if (ref.providerPaymentId && !payment.providerPaymentId) payment.providerPaymentId = ref.providerPaymentId;
  if (ref.chargeId && !payment.providerChargeId) payment.providerChargeId = ref.chargeId;
  if (ref.sessionId && !payment.providerSessionId) payment.providerSessionId = ref.sessionId;
}
