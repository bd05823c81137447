import { DisputeStatus } from '../dispute-status';
import { PaymentStatus, RefundStatus } from '../payment-types';

/**
 * Provider facts only move forward. Events arrive late, twice and out of order; a fact
 * is applied only when it ranks at least as high as what we know, so the stored state is
 * the same whatever the delivery order.
 */
const PAYMENT_RANK: Record<PaymentStatus, number> = {
  [PaymentStatus.OPEN]: 0,
  [PaymentStatus.PROCESSING]: 1,
  [PaymentStatus.REQUIRES_ACTION]: 1,
  // Held funds: still to be captured (SUCCEEDED), voided (CANCELED) or to lapse (EXPIRED).
  [PaymentStatus.AUTHORIZED]: 1.5,
  [PaymentStatus.FAILED]: 2,
  [PaymentStatus.EXPIRED]: 2,
  [PaymentStatus.CANCELED]: 2,
  [PaymentStatus.SUCCEEDED]: 3,
};

/** A refund that once succeeded can still fail later (e.g. an expired card at the bank). */
const REFUND_RANK: Record<RefundStatus, number> = {
  [RefundStatus.PENDING]: 0,
  [RefundStatus.SUCCEEDED]: 1,
  [RefundStatus.FAILED]: 2,
  [RefundStatus.CANCELED]: 2,
};

/** May a payment attempt go from `current` to `next`? FAILED may still become SUCCEEDED (a retried confirmation). */
export function paymentMayBecome(current: PaymentStatus, next: PaymentStatus): boolean {
  if (current === next) return false;
  return PAYMENT_RANK[next] > PAYMENT_RANK[current] || (PAYMENT_RANK[next] === PAYMENT_RANK[current] && next === PaymentStatus.FAILED && current !== PaymentStatus.SUCCEEDED);
}

export function refundMayBecome(current: RefundStatus, next: RefundStatus): boolean {
  return current !== next && REFUND_RANK[next] > REFUND_RANK[current];
}

/** A dispute is decided once: WON and LOST are final, so neither a late "opened" nor the other outcome replaces it. */
const DISPUTE_RANK: Record<DisputeStatus, number> = {
  [DisputeStatus.OPEN]: 0,
  [DisputeStatus.WON]: 1,
  [DisputeStatus.LOST]: 1,
};

export function disputeMayBecome(current: DisputeStatus, next: DisputeStatus): boolean {
  return current !== next && DISPUTE_RANK[next] > DISPUTE_RANK[current];
}

/** Payment attempts that are still open at the provider (a second one must not be payable at once). */
export const OPEN_PAYMENT_STATUSES: readonly PaymentStatus[] = [PaymentStatus.OPEN, PaymentStatus.PROCESSING, PaymentStatus.REQUIRES_ACTION];
