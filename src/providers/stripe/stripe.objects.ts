import type Stripe from 'stripe';
import type { DisputeOutcome, PaymentAction, PaymentRef, ProviderRefundState } from '../../domain/providers/provider-events';
import { fromStripeCurrency } from './stripe.amounts';
import { declineCodeOf } from './stripe.errors';

const idOf = (value: string | { id: string } | null | undefined): string | undefined =>
  typeof value === 'string' ? value : (value?.id ?? undefined);

/** Metadata key marking a PaymentIntent that a Checkout Session created for us. */
export const CHECKOUT_FLOW_KEY = 'checkoutFlow';

const meta = (metadata: Stripe.Metadata | null | undefined, key: string): string | undefined => metadata?.[key] || undefined;

/** Where a Checkout Session points in our records: metadata and client_reference_id carry our ids. */
export function sessionRef(session: Stripe.Checkout.Session): PaymentRef {
  return {
    paymentId: meta(session.metadata, 'paymentId'),
    orderId: session.client_reference_id ?? meta(session.metadata, 'orderId'),
    sessionId: session.id,
    providerPaymentId: idOf(session.payment_intent),
  };
}

/** PaymentIntent metadata is copied onto its charges, so both lead back to our attempt. */
export function paymentIntentRef(pi: Stripe.PaymentIntent): PaymentRef {
  return { paymentId: meta(pi.metadata, 'paymentId'), orderId: meta(pi.metadata, 'orderId'), providerPaymentId: pi.id, chargeId: idOf(pi.latest_charge) };
}

export function chargeRef(charge: Stripe.Charge): PaymentRef {
  return { paymentId: meta(charge.metadata, 'paymentId'), orderId: meta(charge.metadata, 'orderId'), providerPaymentId: idOf(charge.payment_intent), chargeId: charge.id };
}

export function refundRef(refund: Stripe.Refund): PaymentRef {
  return { paymentId: meta(refund.metadata, 'paymentId'), orderId: meta(refund.metadata, 'orderId'), providerPaymentId: idOf(refund.payment_intent), chargeId: idOf(refund.charge) };
}

const REFUND_STATUS: Record<string, ProviderRefundState['status']> = {
  pending: 'PENDING',
  requires_action: 'PENDING',
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  canceled: 'CANCELED',
};

/** A Stripe Refund in our terms; our refund id travels in its metadata. */
export function refundState(refund: Stripe.Refund): ProviderRefundState {
  return {
    providerRefundId: refund.id,
    amount: refund.amount,
    currency: fromStripeCurrency(refund.currency),
    status: REFUND_STATUS[refund.status ?? 'pending'] ?? 'PENDING',
    refundId: meta(refund.metadata, 'refundId'),
    failureMessage: refund.failure_reason ?? undefined,
  };
}

/**
 * The facts a PaymentIntent's current state proves, whatever event (or API answer) carried it.
 * Reading the object's state rather than the event name is what keeps a replayed or reordered
 * event harmless: it can only restate a fact, and the domain ignores facts that go backwards.
 */
export function paymentIntentActions(pi: Stripe.PaymentIntent): PaymentAction[] {
  const ref = paymentIntentRef(pi);
  switch (pi.status) {
    case 'succeeded':
      return [{ kind: 'payment_succeeded', ref, amount: pi.amount_received || pi.amount, currency: fromStripeCurrency(pi.currency) }];
    case 'requires_capture':
      return [{ kind: 'payment_authorized', ref, amount: pi.amount_capturable, currency: fromStripeCurrency(pi.currency) }];
    case 'processing':
      return [{ kind: 'payment_processing', ref }];
    case 'requires_action':
      return [{ kind: 'payment_requires_action', ref }];
    case 'canceled':
      // A Checkout Session's PaymentIntent is canceled when the session expires: the session's own
      // event decides. A card PaymentIntent canceled before payment is a failed attempt.
      // An authorization nobody captured lapses: Stripe cancels it with reason `automatic`.
      if (pi.capture_method === 'manual' && pi.cancellation_reason === 'automatic' && pi.latest_charge) return [{ kind: 'payment_expired', ref }];
      // Any other cancel of an authorized (uncaptured) PaymentIntent is a void.
      if (pi.capture_method === 'manual' && pi.latest_charge && !pi.last_payment_error) return [{ kind: 'payment_voided', ref }];
      if (meta(pi.metadata, CHECKOUT_FLOW_KEY)) return [{ kind: 'ignored', reason: `PaymentIntent ${pi.id} of a Checkout Session was canceled` }];
      return [{ kind: 'payment_failed', ref, code: 'payment_intent_canceled', message: `canceled before payment (${pi.cancellation_reason ?? 'no reason given'})` }];
    case 'requires_payment_method': {
      const error = pi.last_payment_error;
      if (!error) return [{ kind: 'ignored', reason: `PaymentIntent ${pi.id} awaits a payment method` }];
      // A card declined on the hosted Checkout page: the session stays open and the customer may
      // try another card, so the attempt has not failed (its session's events decide).
      if (meta(pi.metadata, CHECKOUT_FLOW_KEY)) return [{ kind: 'ignored', reason: `declined try inside an open Checkout Session: ${error.message ?? error.code}` }];
      return [{ kind: 'payment_failed', ref, code: declineCodeOf(error), message: error.message ?? undefined }];
    }
    default:
      return [{ kind: 'ignored', reason: `PaymentIntent ${pi.id} is ${pi.status}` }];
  }
}

/** The facts a Checkout Session's state proves: paid, completed-but-unpaid (delayed method), expired. */
export function sessionActions(session: Stripe.Checkout.Session): PaymentAction[] {
  const ref = sessionRef(session);
  if (session.status === 'expired') return [{ kind: 'payment_expired', ref }];
  if (session.status !== 'complete') return [{ kind: 'ignored', reason: `Checkout Session ${session.id} is ${session.status}` }];
  if (session.payment_status === 'unpaid') return [{ kind: 'payment_processing', ref }];
  return [{ kind: 'payment_succeeded', ref, amount: session.amount_total ?? 0, currency: fromStripeCurrency(session.currency ?? '') }];
}

/** A charge's refunds: each listed refund's own state, or only the total when Stripe did not list them. */
export function chargeRefundActions(charge: Stripe.Charge): PaymentAction[] {
  const ref = chargeRef(charge);
  const refunds = charge.refunds?.data ?? [];
  if (refunds.length === 0) {
    return [{ kind: 'refund_total', ref, amountRefunded: charge.amount_refunded, currency: fromStripeCurrency(charge.currency) }];
  }
  return refunds.map((refund) => ({ kind: 'refund_state' as const, ref, refund: refundState(refund) }));
}

/** Stripe dispute statuses while the dispute is undecided (inquiries are `warning_*`). */
const OPEN_DISPUTE = new Set(['warning_needs_response', 'warning_under_review', 'needs_response', 'under_review']);

/**
 * Stripe's closed statuses ("`lost`, `warning_closed`, or `won`", per `charge.dispute.closed`) as
 * outcomes: `warning_closed` is an inquiry closed without becoming a chargeback, so the money stays.
 */
const CLOSED_DISPUTE: Record<string, DisputeOutcome> = { won: 'won', warning_closed: 'won', lost: 'lost' };

/**
 * The fact a Dispute's current status states, whichever `charge.dispute.*` event carried it.
 * `created` says a dispute exists even when its status is not one we know as open (`opened`);
 * otherwise statuses Stripe added later (`prevented`, `appeal_*`) are not mapped: a prevented
 * dispute's money moves as a refund, which has its own events, and an appeal is for a human.
 */
export function disputeAction(dispute: Stripe.Dispute, created = false): PaymentAction {
  const said = {
    ref: { chargeId: idOf(dispute.charge), providerPaymentId: idOf(dispute.payment_intent) },
    disputeId: dispute.id,
    reason: dispute.reason,
    ...(typeof dispute.amount === 'number' && dispute.currency ? { amount: dispute.amount, currency: fromStripeCurrency(dispute.currency) } : {}),
  };
  const outcome = CLOSED_DISPUTE[dispute.status];
  if (outcome) return { kind: 'dispute_closed', ...said, outcome };
  if (created || OPEN_DISPUTE.has(dispute.status)) return { kind: 'dispute_opened', ...said };
  return { kind: 'ignored', reason: `dispute ${dispute.id} status ${dispute.status} is not mapped` };
}
