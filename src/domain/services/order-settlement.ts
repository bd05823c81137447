import type { OrderEntity } from '../../db/entities';
import { canTransition, progressRank } from '../order-state-machine';
import { OrderStatus } from '../order-status';
import { PaymentStatus, RefundStatus } from '../payment-types';
import type { OrderUnitOfWork } from './order-transaction';

/**
 * Where the order's status belongs, derived from its payment and refund facts rather than
 * from the event that just arrived. This is what makes every delivery order converge:
 * the facts are the same whatever order they came in, and so is the status derived from them.
 */
export function targetStatus(order: OrderEntity): OrderStatus {
  const payments = order.payments.getItems();
  const captured = payments.some((p) => p.status === PaymentStatus.SUCCEEDED);
  if (captured) {
    const refunded = refundedAmount(order);
    if (refunded >= order.amount) return OrderStatus.REFUNDED;
    // A dispute is left only by a full refund (lost dispute); partial refunds keep it disputed.
    if (order.status === OrderStatus.DISPUTED) return OrderStatus.DISPUTED;
    return refunded > 0 ? OrderStatus.PARTIALLY_REFUNDED : OrderStatus.PAID;
  }
  if (order.status === OrderStatus.CANCELED || payments.length === 0) return order.status;
  // Only the newest attempt speaks for an unpaid order: an old attempt's late failure does not.
  const latest = payments.reduce((a, b) => (b.createdAt.getTime() > a.createdAt.getTime() || (b.createdAt.getTime() === a.createdAt.getTime() && b.id > a.id) ? b : a));
  switch (latest.status) {
    case PaymentStatus.REQUIRES_ACTION:
      return OrderStatus.REQUIRES_ACTION;
    case PaymentStatus.FAILED:
      return OrderStatus.FAILED;
    case PaymentStatus.EXPIRED:
    case PaymentStatus.CANCELED:
      return payments.some((p) => p.status === PaymentStatus.OPEN || p.status === PaymentStatus.PROCESSING) ? OrderStatus.PENDING : OrderStatus.EXPIRED;
    default:
      return OrderStatus.PENDING;
  }
}

/** Sum of refunds the provider has confirmed. */
export function refundedAmount(order: OrderEntity): number {
  return order.refunds.getItems().filter((r) => r.status === RefundStatus.SUCCEEDED).reduce((sum, r) => sum + r.amount, 0);
}

/**
 * Moves the order to its derived status through legal transitions only (PENDING → PAID →
 * REFUNDED when the refund fact arrived first), never backwards. A target the table does not
 * allow (e.g. a payment for a canceled order) is recorded for a human, not applied.
 */
export function settleOrder(uow: OrderUnitOfWork, order: OrderEntity, source: string): void {
  const refundedBefore = order.amountRefunded;
  order.amountRefunded = refundedAmount(order);
  const target = targetStatus(order);
  const from = order.status;
  if (target === from) {
    if (from === OrderStatus.PARTIALLY_REFUNDED && order.amountRefunded !== refundedBefore) {
      uow.transition(order, target, source, `refunded ${order.amountRefunded} of ${order.amount}`);
    }
    return;
  }
  if (progressRank(target) < progressRank(from) && !(from === OrderStatus.DISPUTED && target === OrderStatus.REFUNDED)) {
    uow.record(order, 'EVENT_IGNORED', source, `would move the order back from ${from} to ${target}`);
    return;
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
      return;
    }
    current = step;
  }
  for (const step of path) uow.transition(order, step, source);
}
