import type { OrderEntity, PaymentEntity, RefundEntity } from '../../db/entities';
import { ConflictError } from '../errors';
import { formatMoney } from '../money';
import { RefundStatus } from '../../model/payment-types';
import { confirmedCaptures } from './authorization-captures';
import { capturedOf } from './order-settlement';
import { isKeptPayment } from './payment-claim';

/** One part of a refund: how much goes back against which payment (and which of its captures, when it has several). */
export interface Allocation {
  payment: PaymentEntity;
  amount: number;
  /** The capture refunded, for a PayPal authorization captured in parts; else the payment's own charge. */
  chargeId?: string;
}

/**
 * A refund whose provider call ended without an answer (timeout, 5xx), so its caller was told the
 * outcome is unknown and to send the same request again; a provider webhook may have settled it since.
 */
export function isUnanswered(refund: RefundEntity): boolean {
  return Boolean(refund.outcomeUnknownSince) && !refund.payment.autoRefundReason;
}

/**
 * What is still refundable on each kept payment: its captured amount minus refunds pending or made.
 * A PayPal authorization captured in parts is refunded per capture (PayPal refunds a capture, never
 * more than it took), so it counts as one part per capture.
 */
export function refundableByPayment(order: OrderEntity): Allocation[] {
  const reserved = (payment: PaymentEntity, chargeId?: string) => order.refunds
    .getItems()
    .filter((r) => r.payment.id === payment.id && (r.status === RefundStatus.PENDING || r.status === RefundStatus.SUCCEEDED))
    .filter((r) => chargeId === undefined || (r.providerChargeId ?? payment.providerChargeId) === chargeId)
    .reduce((sum, r) => sum + r.amount, 0);
  return order.payments
    .getItems()
    .filter(isKeptPayment)
    .flatMap((payment): Allocation[] => {
      const captures = confirmedCaptures(payment);
      if (captures.length > 1) return captures.map((c) => ({ payment, chargeId: c.id, amount: c.amount - reserved(payment, c.id) }));
      // Only captured money can be refunded (a partial capture released the rest of the authorization).
      return [{ payment, amount: capturedOf(payment) - reserved(payment) }];
    })
    .filter((a) => a.amount > 0);
}

/**
 * Spreads `amount` (omitted = everything left) over the order's payments, newest first, never
 * more than what is left on each; CONFLICT when it exceeds what is left in total.
 */
export function allocateRefund(order: OrderEntity, amount: number | undefined): Allocation[] {
  if (!order.payments.getItems().some(isKeptPayment)) throw new ConflictError(`Order ${order.id} has no captured payment to refund`);
  const left = refundableByPayment(order).reverse();
  const total = left.reduce((sum, a) => sum + a.amount, 0);
  if (total <= 0) throw new ConflictError(`Nothing is left to refund on order ${order.id}`);
  const wanted = amount ?? total;
  if (wanted > total) {
    throw new ConflictError(`A refund of ${formatMoney(wanted, order.currency)} exceeds the ${formatMoney(total, order.currency)} left to refund on order ${order.id}`);
  }
  const parts: Allocation[] = [];
  let rest = wanted;
  for (const available of left) {
    if (rest === 0) break;
    const take = Math.min(rest, available.amount);
    parts.push({ payment: available.payment, amount: take, chargeId: available.chargeId });
    rest -= take;
  }
  return parts;
}

/** Total still refundable on the order. */
export function refundableTotal(order: OrderEntity): number {
  return refundableByPayment(order).reduce((sum, a) => sum + a.amount, 0);
}
