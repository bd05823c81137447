import type { OrderEntity, PaymentEntity } from '../../db/entities';
import type { Logger } from '../../logging/logger';
import { formatMoney } from '../money';
import { OrderStatus } from '../../model/order-status';
import { PaymentStatus, RefundStatus } from '../../model/payment-types';
import { movePayment } from '../payment-state-machine';
import { isKeptPayment } from './payment-claim';
import type { OrderWork } from './order-work';
import { recordLatePaymentRefund } from '../../observability/metrics';

/** The log line (and its `alert` field) an operator greps and counts: one per automatic refund of a late payment. */
export const LATE_PAYMENT_ALERT = 'LATE_PAYMENT_AUTO_REFUND';

/** Sends a reserved (PENDING) refund to its provider with the refund's own idempotency key, and records the answer. */
export interface RefundSender {
  sendReserved(refundId: string, source: string): Promise<unknown>;
}

/**
 * Why `payment` may not be kept even though its provider says it succeeded, or undefined when it
 * may: the order was canceled, another attempt already paid it, or we had closed this attempt.
 */
export function lateReason(order: OrderEntity, payment: PaymentEntity): string | undefined {
  if (payment.status === PaymentStatus.SUCCEEDED) return undefined;
  if (order.status === OrderStatus.CANCELED) return `order ${order.id} had been canceled`;
  const other = order.payments.getItems().find((p) => p.id !== payment.id && isKeptPayment(p));
  if (other) return `order ${order.id} was already paid by ${other.provider} attempt ${other.id}`;
  if (payment.status === PaymentStatus.CANCELED) return `its attempt had been closed (${payment.failureMessage ?? 'canceled'})`;
  return undefined;
}

/**
 * A payment that succeeded on an order that could no longer take it: the money is recorded as a
 * payment (it did move), refunded in full at the provider after this transaction commits
 * (idempotency key from the refund's id, so a redelivered event cannot refund twice), written to
 * the order's event log with why, and logged at warn as LATE_PAYMENT_AUTO_REFUND. The order's own
 * status is left alone: late payments and their refunds do not count towards it.
 */
export class LatePayments {
  private sender?: RefundSender;

  constructor(private readonly logger?: Logger) {}

  /** Wired once at start-up (the refund service itself depends on the reconciler). */
  useSender(sender: RefundSender): void {
    this.sender = sender;
  }

  refund(uow: OrderWork, payment: PaymentEntity, why: string, source: string): void {
    const order = payment.order;
    movePayment(payment, PaymentStatus.SUCCEEDED);
    payment.autoRefundReason = why;
    payment.updatedAt = new Date();
    const refund = uow.addRefund({
      // A manual capture took only what was captured: that is what goes back.
      order, payment, amount: payment.capturedAmount ?? payment.amount, currency: payment.currency, reason: `automatic refund: ${why}`.slice(0, 500),
    });
    order.updatedAt = new Date();
    uow.record(
      order,
      'LATE_PAYMENT_REFUNDED',
      source,
      `${payment.provider} payment ${payment.id} of ${formatMoney(payment.amount, payment.currency)} succeeded although ${why}; refunding it automatically (refund ${refund.id})`,
    );
    const alert = { alert: LATE_PAYMENT_ALERT, orderId: order.id, paymentId: payment.id, refundId: refund.id, provider: payment.provider, amount: payment.amount, currency: payment.currency, reason: why, source };
    // Logged once the facts are committed: a transaction re-run after a conflict must not count twice.
    uow.afterCommit.push(async () => {
      recordLatePaymentRefund(payment.provider);
      this.logger?.warn(alert, 'late payment on an order that could not take it: refunding it automatically');
    });
    this.sendAfterCommit(uow, refund.id, source);
  }

  /** A redelivered success of a late payment re-sends its refund if the provider never answered it (same key). */
  resendIfUnanswered(uow: OrderWork, payment: PaymentEntity, source: string): void {
    const pending = payment.order.refunds.getItems().find((r) => r.payment.id === payment.id && r.status === RefundStatus.PENDING && !r.providerRefundId);
    if (pending) this.sendAfterCommit(uow, pending.id, source);
  }

  private sendAfterCommit(uow: OrderWork, refundId: string, source: string): void {
    uow.afterCommit.push(async () => {
      if (!this.sender) throw new Error('no refund sender wired');
      try {
        await this.sender.sendReserved(refundId, source);
      } catch (error) {
        this.logger?.error(
          { alert: LATE_PAYMENT_ALERT, refundId, err: (error as Error).message },
          'automatic refund of a late payment not confirmed by the provider; it stays PENDING and is re-sent with the same key when the payment is reported again',
        );
      }
    });
  }
}
