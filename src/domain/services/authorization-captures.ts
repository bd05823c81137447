import type { PaymentEntity } from '../../db/entities';
import { CaptureMethod, PaymentProvider, PaymentStatus, type AuthorizationCapture } from '../../model/payment-types';

/**
 * A PayPal authorization captured in parts (Payments v2: several captures until a `final_capture`,
 * or until the authorized amount is taken). Each capture PayPal confirms is kept on the attempt by
 * its id, so whatever order its answer and its webhooks arrive in, the same captures are known,
 * and `capturedAmount` is their sum. Stripe takes one capture per PaymentIntent and never uses this.
 */
export function takesSeveralCaptures(payment: Pick<PaymentEntity, 'provider' | 'captureMethod'>): boolean {
  return payment.provider === PaymentProvider.PAYPAL && payment.captureMethod === CaptureMethod.MANUAL;
}

/** The captures PayPal confirmed for this attempt, oldest first. */
export function confirmedCaptures(payment: Pick<PaymentEntity, 'captures'>): AuthorizationCapture[] {
  return payment.captures ?? [];
}

/** What the captures took so far. */
export function capturedSoFar(payment: Pick<PaymentEntity, 'captures'>): number {
  return confirmedCaptures(payment).reduce((sum, c) => sum + c.amount, 0);
}

/** What an attempt says about its authorization: an entity, or a record as read for display. */
type HeldFunds = Pick<PaymentEntity, 'provider' | 'captureMethod' | 'authorizationReleased' | 'status' | 'captures' | 'amount'>;

/** Is the authorization still capturable after the captures made (no final one, something left, not voided or lapsed)? */
export function authorizationOpen(payment: HeldFunds): boolean {
  if (!takesSeveralCaptures(payment) || payment.authorizationReleased) return false;
  if (payment.status === PaymentStatus.AUTHORIZED) return true;
  const captures = confirmedCaptures(payment);
  return payment.status === PaymentStatus.SUCCEEDED && captures.length > 0 && !captures.some((c) => c.final) && capturedSoFar(payment) < payment.amount;
}

/** What may still be captured of the authorization. */
export function authorizedRemainder(payment: Pick<PaymentEntity, 'amount' | 'captures'>): number {
  return payment.amount - capturedSoFar(payment);
}

/** What an admin can still capture on this attempt: all of it while AUTHORIZED, the rest of a PayPal authorization captured in part, else 0. */
export function capturableAmount(payment: HeldFunds): number {
  if (payment.status === PaymentStatus.AUTHORIZED) return payment.amount;
  return authorizationOpen(payment) ? authorizedRemainder(payment) : 0;
}

/**
 * Keeps one capture PayPal confirmed: `known` when its id is kept already (a redelivery, or our
 * own answer after its webhook), `over` when it would take more than was authorized (left for a
 * human), else `recorded` with `capturedAmount` the new total.
 */
export function recordCapture(payment: PaymentEntity, capture: AuthorizationCapture): 'recorded' | 'known' | 'over' {
  const captures = confirmedCaptures(payment);
  if (captures.some((c) => c.id === capture.id)) return 'known';
  if (capturedSoFar(payment) + capture.amount > payment.amount) return 'over';
  payment.captures = [...captures, capture];
  payment.capturedAmount = capturedSoFar(payment);
  payment.providerChargeId ??= capture.id;
  payment.updatedAt = new Date();
  return 'recorded';
}

/**
 * A `payment_succeeded` fact about our attempt: for a PayPal authorization, one capture kept by
 * its id (`further`: a new capture of an authorization already captured in part, which changes no
 * status and is logged as such); otherwise the amount must be what was captured. `mismatch` says
 * why the fact does not fit, if it does not.
 */
export function checkSucceeded(payment: PaymentEntity, fact: { ref: { chargeId?: string }; amount: number; currency: string; finalCapture?: boolean }): { mismatch?: string; further?: string } {
  if (fact.currency.toUpperCase() !== payment.currency) return { mismatch: `provider reports ${fact.amount} ${fact.currency}, attempt was in ${payment.currency}` };
  if (takesSeveralCaptures(payment) && fact.ref.chargeId) {
    const before = capturedSoFar(payment);
    // A capture that does not say otherwise is taken as final: no further capture is tried on a guess.
    const kept = recordCapture(payment, { id: fact.ref.chargeId, amount: fact.amount, final: fact.finalCapture ?? true });
    if (kept === 'over') return { mismatch: `provider reports capture ${fact.ref.chargeId} of ${fact.amount} ${fact.currency}, beyond the ${authorizedRemainder(payment)} left of the ${payment.amount} authorized` };
    if (kept === 'recorded' && before > 0) return { further: `capture ${fact.ref.chargeId} of ${fact.amount}: ${capturedSoFar(payment)} of ${payment.amount} ${payment.currency} captured` };
    return {};
  }
  const expected = payment.capturedAmount ?? payment.amount;
  return fact.amount === expected ? {} : { mismatch: `provider reports ${fact.amount} ${fact.currency}, attempt was ${expected} ${payment.currency}` };
}

/** A void or lapse of an authorization already captured in part: only its rest is released. */
export function releaseRest(payment: PaymentEntity): boolean {
  if (!takesSeveralCaptures(payment) || payment.status !== PaymentStatus.SUCCEEDED || payment.authorizationReleased) return false;
  payment.authorizationReleased = true;
  payment.updatedAt = new Date();
  return true;
}
