import { ConflictError } from '../errors';
import { PaymentProvider, PaymentStatus } from '../../model/payment-types';
import type { PaymentRecord } from '../../model/order-record';

/*
 * THE RULE THAT PREVENTS DOUBLE CHARGES
 *
 * An order has at most one payment attempt that may move money at a time, and an attempt becomes
 * that one only by a claim committed in a transaction on the order (which bumps the order's
 * optimistic-lock version, so two claims racing on one order cannot both commit) BEFORE any
 * provider call that can charge or capture:
 * - a Stripe attempt claims by being stored (OPEN) before the PaymentIntent/Checkout Session is
 *   created; it may move money while OPEN, REQUIRES_ACTION or PROCESSING (the customer can pay a
 *   session or finish 3-D Secure without us);
 * - a PayPal attempt moves no money until we capture it (intent CAPTURE): its capture claims it by
 *   setting PROCESSING and the capture's PayPal-Request-Id before PayPal is called.
 * A claim is refused (CONFLICT) while another attempt may move money. Closing another provider's
 * attempt happens at the provider before ours may claim: an open Checkout Session is expired, a
 * PaymentIntent canceled; a PayPal order is closed by marking its attempt CANCELED in the claiming
 * transaction (only a claimed capture ever captures it, and a CANCELED attempt cannot be claimed).
 * cancelOrder closes every open attempt the same way, and refuses when one already moved money.
 * Anything that still slips through (a capture made outside this service, a provider fault) is
 * caught where facts are applied: see `late-payments.ts`.
 */

/** What the rule reads of an attempt: an ORM entity and a plain PaymentRecord both have it. */
export type AttemptFacts = Pick<PaymentRecord, 'id' | 'provider' | 'method' | 'status' | 'amount' | 'currency' | 'createdAt'> &
  Partial<Pick<PaymentRecord, 'autoRefundReason' | 'providerSessionId' | 'providerPaymentId'>>;

/** An order's attempts: the ORM's collection (entities) or a plain array (records). */
export type Attempts<P extends AttemptFacts> = readonly P[] | { getItems(): P[] };

/** An order as the rule reads it: its id and its attempts. */
export interface WithAttempts<P extends AttemptFacts = AttemptFacts> {
  id: string;
  payments: Attempts<P>;
}

export function attemptsOf<P extends AttemptFacts>(order: WithAttempts<P>): readonly P[] {
  const payments = order.payments;
  return 'getItems' in payments ? payments.getItems() : payments;
}

/** May this attempt move money without a further claim (or is a claimed call in flight)? */
export function mayMoveMoney(payment: AttemptFacts): boolean {
  if (payment.autoRefundReason) return false;
  // Held funds move when captured: an authorization is a mover for either provider.
  if (payment.status === PaymentStatus.AUTHORIZED) return true;
  if (payment.provider === PaymentProvider.PAYPAL) return payment.status === PaymentStatus.PROCESSING;
  return payment.status === PaymentStatus.OPEN || payment.status === PaymentStatus.REQUIRES_ACTION || payment.status === PaymentStatus.PROCESSING;
}

/** A payment that counts for the order (a late one refunded automatically does not). */
export function isKeptPayment(payment: AttemptFacts): boolean {
  return payment.status === PaymentStatus.SUCCEEDED && !payment.autoRefundReason;
}

/** CONFLICT, saying which attempt and why, unless no attempt but `exceptId` may move money or has moved it. */
export function assertNoOtherMover(order: WithAttempts, exceptId: string | undefined, wanted: string): void {
  for (const payment of attemptsOf(order)) {
    if (payment.id === exceptId) continue;
    if (isKeptPayment(payment)) {
      throw new ConflictError(`Order ${order.id} is already paid by ${payment.provider} attempt ${payment.id}; ${wanted} is refused`, { paymentId: payment.id });
    }
    if (mayMoveMoney(payment)) {
      throw new ConflictError(
        `Order ${order.id} has a ${payment.provider} payment attempt ${payment.id} that may still move money (${payment.status}); ${wanted} must wait for its outcome or close it first`,
        { paymentId: payment.id },
      );
    }
  }
}

/** The order's newest attempt: only it may still be paid. */
export function newestAttempt<P extends AttemptFacts>(order: WithAttempts<P>): P | undefined {
  return attemptsOf(order).reduce<P | undefined>((a, b) => {
    if (!a) return b;
    const ta = a.createdAt.getTime();
    const tb = b.createdAt.getTime();
    return tb > ta || (tb === ta && b.id > a.id) ? b : a;
  }, undefined);
}

/**
 * Checked before anything is closed at a provider: a kept payment, or a PayPal capture in flight
 * (which nothing can close), means `wanted` cannot happen, so nothing else is touched.
 */
export function assertNothingUnclosable(order: WithAttempts, wanted: string): void {
  for (const payment of attemptsOf(order)) {
    if (isKeptPayment(payment)) throw new ConflictError(`Order ${order.id} is already paid by ${payment.provider} attempt ${payment.id}; ${wanted} is refused`, { paymentId: payment.id });
    if (payment.provider === PaymentProvider.PAYPAL && mayMoveMoney(payment)) {
      throw new ConflictError(
        `Order ${order.id} has a PayPal capture in progress (attempt ${payment.id}); ${wanted} must wait for its outcome (capturePayPalOrder finishes a capture whose answer was lost)`,
        { paymentId: payment.id },
      );
    }
  }
}
