import type { OrderEntity } from '../../db/entities';
import { canTransition, isBackwards, isRefundReversal, progressRank } from '../order-state-machine';
import { OrderStatus } from '../../model/order-status';
import { PaymentStatus, RefundStatus } from '../../model/payment-types';
import { keepsOrderDisputed } from './dispute-facts';
import type { OrderWork } from './order-work';

/** `failureCode` of an attempt whose authorization was voided (released uncaptured). */
export const VOIDED = 'authorization_voided';

/**
 * Where the order's status belongs, derived from its payment and refund facts rather than
 * from the event that just arrived. This is what makes every delivery order converge:
 * the facts are the same whatever order they came in, and so is the status derived from them.
 */
export function targetStatus(order: OrderEntity): OrderStatus {
  // A late payment refunded automatically (see late-payments.ts) never speaks for the order.
  const payments = order.payments.getItems().filter((p) => !p.autoRefundReason);
  const captured = payments.some((p) => p.status === PaymentStatus.SUCCEEDED);
  if (captured) {
    const refunded = refundedAmount(order);
    // Everything captured is back (an order charged twice in the past captured more than its amount).
    const capturedTotal = payments.filter((p) => p.status === PaymentStatus.SUCCEEDED).reduce((sum, p) => sum + capturedOf(p), 0);
    // A partial capture leaves less than the order's amount to give back.
    const capturedPartially = payments.some((p) => p.status === PaymentStatus.SUCCEEDED && p.capturedAmount != null);
    if (refunded >= (capturedPartially ? capturedTotal : Math.max(order.amount, capturedTotal))) return OrderStatus.REFUNDED;
    if (disputed(order)) return OrderStatus.DISPUTED;
    return refunded > 0 ? OrderStatus.PARTIALLY_REFUNDED : OrderStatus.PAID;
  }
  if (order.status === OrderStatus.CANCELED || payments.length === 0) return order.status;
  // Only the newest attempt speaks for an unpaid order: an old attempt's late failure does not.
  const latest = payments.reduce((a, b) => (b.createdAt.getTime() > a.createdAt.getTime() || (b.createdAt.getTime() === a.createdAt.getTime() && b.id > a.id) ? b : a));
  switch (latest.status) {
    case PaymentStatus.AUTHORIZED:
      return OrderStatus.AUTHORIZED;
    case PaymentStatus.REQUIRES_ACTION:
      return OrderStatus.REQUIRES_ACTION;
    case PaymentStatus.FAILED:
      return OrderStatus.FAILED;
    case PaymentStatus.EXPIRED:
    case PaymentStatus.CANCELED:
      // A voided authorization ends the order: the shop chose not to take the money.
      if (latest.failureCode === VOIDED) return OrderStatus.CANCELED;
      return payments.some((p) => p.status === PaymentStatus.OPEN || p.status === PaymentStatus.PROCESSING) ? OrderStatus.PENDING : OrderStatus.EXPIRED;
    default:
      return OrderStatus.PENDING;
  }
}

/**
 * An open or lost dispute keeps captured money DISPUTED; once every dispute is won the order
 * returns to what its refunds say. A lost dispute stays DISPUTED rather than REFUNDED: the bank
 * reversed the charge, no refund exists, and a money fact the provider does report (a refund, a
 * PayPal capture reversal) still takes the order to REFUNDED. A caller that did not load the
 * disputes has no dispute facts at hand, so an order already DISPUTED stays so.
 */
function disputed(order: OrderEntity): boolean {
  if (!order.disputes.isInitialized()) return order.status === OrderStatus.DISPUTED;
  return order.disputes.getItems().some(keepsOrderDisputed);
}

/** Sum of the payments the provider captured, except late payments refunded automatically. */
export function capturedAmount(order: OrderEntity): number {
  return order.payments.getItems().filter((p) => p.status === PaymentStatus.SUCCEEDED && !p.autoRefundReason).reduce((sum, p) => sum + capturedOf(p), 0);
}

/** What a succeeded attempt took: the captured part of a manual capture, else its whole amount. */
export function capturedOf(payment: { amount: number; capturedAmount?: number | null }): number {
  return payment.capturedAmount ?? payment.amount;
}

/** Sum of refunds the provider has confirmed, except the automatic refunds of late payments. */
export function refundedAmount(order: OrderEntity): number {
  return order.refunds.getItems().filter((r) => r.status === RefundStatus.SUCCEEDED && !r.payment.autoRefundReason).reduce((sum, r) => sum + r.amount, 0);
}

/**
 * Moves the order to its derived status through legal transitions only (PENDING → PAID →
 * REFUNDED when the refund fact arrived first), never backwards. A target the table does not
 * allow (e.g. a payment for a canceled order) is recorded for a human, not applied.
 * `message` goes on the status change(s) made; returns true when the status changed.
 */
export function settleOrder(uow: OrderWork, order: OrderEntity, source: string, message?: string): boolean {
  const refundedBefore = order.amountRefunded;
  order.amountRefunded = refundedAmount(order);
  order.amountCaptured = capturedAmount(order);
  const target = targetStatus(order);
  const from = order.status;
  if (target === from) {
    if (from === OrderStatus.PARTIALLY_REFUNDED && order.amountRefunded !== refundedBefore) {
      uow.transition(order, target, source, `refunded ${order.amountRefunded} of ${order.amount}`);
      return true;
    }
    return false;
  }
  // A refund that failed after it succeeded really lowers what is refunded: the one move back allowed.
  if (isRefundReversal(from, target) && order.amountRefunded < refundedBefore) {
    uow.transition(order, target, source, message ?? `a refund failed after it had succeeded: refunded ${order.amountRefunded} of ${order.amount}`);
    return true;
  }
  if (isBackwards(from, target)) {
    uow.record(order, 'EVENT_IGNORED', source, `would move the order back from ${from} to ${target}`);
    return false;
  }
  // The detour through PAID exists only for captured money (a refund or dispute fact that arrived
  // before the payment fact); it is checked whole before any step is taken, so a target the table
  // refuses never leaves the order half-way (e.g. REQUIRES_ACTION → PAID on the way to EXPIRED).
  const viaPaid = progressRank(target) > progressRank(OrderStatus.PAID);
  const path = canTransition(from, target) || !viaPaid ? [target] : [OrderStatus.PAID, target];
  let current = from;
  for (const step of path) {
    if (!canTransition(current, step)) {
      uow.record(order, 'NEEDS_ATTENTION', source, `provider state implies ${target}, but an order cannot go from ${current} to ${step}`);
      return false;
    }
    current = step;
  }
  for (const step of path) uow.transition(order, step, source, message);
  return true;
}
