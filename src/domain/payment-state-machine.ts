/**
 * The lifecycles of a payment attempt, a refund and a dispute: declared tables like the order's
 * (order-state-machine.ts) and one guard each. Nothing writes one of these statuses except
 * through `movePayment` / `moveRefund` / `moveDispute`.
 *
 * Provider facts only move forward. Events arrive late, twice and out of order; a fact that
 * is not in the table is ignored, so the stored state is the same whatever the delivery order.
 */
import { DisputeStatus } from '../model/dispute-status';
import { PaymentStatus, RefundStatus } from '../model/payment-types';

const P = PaymentStatus;
const R = RefundStatus;
const freeze = <T>(...to: T[]): readonly T[] => Object.freeze(to);
/** No move out: a final status. */
const FINAL: readonly never[] = Object.freeze([]);

/**
 * Why an attempt's status changes: `fact`, a provider told us (or our own close of an open
 * attempt, which is the same forward move); `claim`, we mark a PayPal attempt PROCESSING before
 * capturing it (payment-claim.ts); `release`, a definite refusal gives the claim back.
 */
export type PaymentMove = 'fact' | 'claim' | 'release';

/** Statuses a PayPal capture may be claimed from (the claim checks the order first). */
const CLAIMABLE = [P.OPEN, P.REQUIRES_ACTION, P.AUTHORIZED, P.FAILED, P.SUCCEEDED] as const;

/** Allowed moves: `PAYMENT_TRANSITIONS[move][from]` lists every legal `to`. */
export const PAYMENT_TRANSITIONS: Readonly<Record<PaymentMove, Readonly<Record<PaymentStatus, readonly PaymentStatus[]>>>> = Object.freeze({
  fact: Object.freeze({
    [P.OPEN]: freeze(P.PROCESSING, P.REQUIRES_ACTION, P.AUTHORIZED, P.FAILED, P.EXPIRED, P.CANCELED, P.SUCCEEDED),
    [P.PROCESSING]: freeze(P.AUTHORIZED, P.FAILED, P.EXPIRED, P.CANCELED, P.SUCCEEDED),
    [P.REQUIRES_ACTION]: freeze(P.AUTHORIZED, P.FAILED, P.EXPIRED, P.CANCELED, P.SUCCEEDED),
    // Held funds: captured (SUCCEEDED), voided (CANCELED) or lapsed (EXPIRED).
    [P.AUTHORIZED]: freeze(P.FAILED, P.EXPIRED, P.CANCELED, P.SUCCEEDED),
    // A failed, expired or canceled attempt may still turn out paid (a retried confirmation, a
    // payment that raced the close: late-payments.ts refunds it); a closed one may still fail.
    [P.FAILED]: freeze(P.SUCCEEDED),
    [P.EXPIRED]: freeze(P.FAILED, P.SUCCEEDED),
    [P.CANCELED]: freeze(P.FAILED, P.SUCCEEDED),
    [P.SUCCEEDED]: FINAL,
  }),
  claim: Object.freeze({
    ...Object.fromEntries(Object.values(P).map((from) => [from, FINAL])),
    ...Object.fromEntries(CLAIMABLE.map((from) => [from, freeze(P.PROCESSING)])),
  } as Record<PaymentStatus, readonly PaymentStatus[]>),
  release: Object.freeze({
    ...Object.fromEntries(Object.values(P).map((from) => [from, FINAL])),
    [P.PROCESSING]: freeze(...CLAIMABLE),
  } as Record<PaymentStatus, readonly PaymentStatus[]>),
});

/** A refund that once succeeded can still fail later (e.g. an expired card at the bank). */
export const REFUND_TRANSITIONS: Readonly<Record<RefundStatus, readonly RefundStatus[]>> = Object.freeze({
  [R.PENDING]: freeze(R.SUCCEEDED, R.FAILED, R.CANCELED),
  [R.SUCCEEDED]: freeze(R.FAILED, R.CANCELED),
  [R.FAILED]: FINAL,
  [R.CANCELED]: FINAL,
});

/** A dispute is decided once: WON and LOST are final, so neither a late "opened" nor the other outcome replaces it. */
export const DISPUTE_TRANSITIONS: Readonly<Record<DisputeStatus, readonly DisputeStatus[]>> = Object.freeze({
  [DisputeStatus.OPEN]: freeze(DisputeStatus.WON, DisputeStatus.LOST),
  [DisputeStatus.WON]: FINAL,
  [DisputeStatus.LOST]: FINAL,
});

/** May a payment attempt go from `current` to `next` by this kind of move? */
export function paymentMayBecome(current: PaymentStatus, next: PaymentStatus, move: PaymentMove = 'fact'): boolean {
  return PAYMENT_TRANSITIONS[move][current].includes(next);
}

export function refundMayBecome(current: RefundStatus, next: RefundStatus): boolean {
  return REFUND_TRANSITIONS[current].includes(next);
}

export function disputeMayBecome(current: DisputeStatus, next: DisputeStatus): boolean {
  return DISPUTE_TRANSITIONS[current].includes(next);
}

interface Stated<S> {
  status: S;
  updatedAt: Date;
}

/** The one writer of a payment's status: moves it when the table allows, and says whether it did. */
export function movePayment(payment: Stated<PaymentStatus>, next: PaymentStatus, move: PaymentMove = 'fact'): boolean {
  if (!paymentMayBecome(payment.status, next, move)) return false;
  payment.status = next;
  payment.updatedAt = new Date();
  return true;
}

/** The one writer of a refund's status. */
export function moveRefund(refund: Stated<RefundStatus>, next: RefundStatus): boolean {
  if (!refundMayBecome(refund.status, next)) return false;
  refund.status = next;
  refund.updatedAt = new Date();
  return true;
}

/** The one writer of a dispute's status. */
export function moveDispute(dispute: Stated<DisputeStatus>, next: DisputeStatus): boolean {
  if (!disputeMayBecome(dispute.status, next)) return false;
  dispute.status = next;
  dispute.updatedAt = new Date();
  return true;
}

/** Payment attempts that are still open at the provider (a second one must not be payable at once). */
export const OPEN_PAYMENT_STATUSES: readonly PaymentStatus[] = [P.OPEN, P.PROCESSING, P.REQUIRES_ACTION];
