import type Stripe from 'stripe';
import type { PaymentAction } from '../../domain/providers/provider-events';
import { chargeRefundActions, disputeAction, paymentIntentActions, refundRef, refundState, sessionActions, sessionRef } from './stripe.objects';

type Translate = (object: any) => PaymentAction[];

/**
 * The Stripe events we act on, each translated from the state of the object it carries.
 * Everything else is stored and acknowledged as `ignored` (CONTRACT §3).
 */
const HANDLERS: Record<string, Translate> = {
  'checkout.session.completed': (s: Stripe.Checkout.Session) => sessionActions(s),
  'checkout.session.async_payment_succeeded': (s: Stripe.Checkout.Session) => sessionActions(s),
  'checkout.session.async_payment_failed': (s: Stripe.Checkout.Session) => [
    { kind: 'payment_failed', ref: sessionRef(s), code: 'async_payment_failed', message: 'The delayed payment failed' },
  ],
  'checkout.session.expired': (s: Stripe.Checkout.Session) => sessionActions(s),
  'payment_intent.succeeded': (pi: Stripe.PaymentIntent) => paymentIntentActions(pi),
  'payment_intent.payment_failed': (pi: Stripe.PaymentIntent) => paymentIntentActions(pi),
  'payment_intent.requires_action': (pi: Stripe.PaymentIntent) => paymentIntentActions(pi),
  'payment_intent.processing': (pi: Stripe.PaymentIntent) => paymentIntentActions(pi),
  'payment_intent.canceled': (pi: Stripe.PaymentIntent) => paymentIntentActions(pi),
  // Manual capture: the card was authorized (requires_capture), nothing charged yet.
  'payment_intent.amount_capturable_updated': (pi: Stripe.PaymentIntent) => paymentIntentActions(pi),
  'charge.refunded': (charge: Stripe.Charge) => chargeRefundActions(charge),
  'refund.created': (refund: Stripe.Refund) => [{ kind: 'refund_state', ref: refundRef(refund), refund: refundState(refund) }],
  'refund.updated': (refund: Stripe.Refund) => [{ kind: 'refund_state', ref: refundRef(refund), refund: refundState(refund) }],
  'refund.failed': (refund: Stripe.Refund) => [{ kind: 'refund_state', ref: refundRef(refund), refund: refundState(refund) }],
  'charge.refund.updated': (refund: Stripe.Refund) => [{ kind: 'refund_state', ref: refundRef(refund), refund: refundState(refund) }],
  'charge.dispute.created': (dispute: Stripe.Dispute) => [disputeAction(dispute, true)],
  'charge.dispute.updated': (dispute: Stripe.Dispute) => [disputeAction(dispute)],
  'charge.dispute.closed': (dispute: Stripe.Dispute) => [disputeAction(dispute)],
};

/** The event types that change our records. */
export const HANDLED_STRIPE_EVENTS: readonly string[] = Object.keys(HANDLERS);

/** A verified Stripe event → provider-neutral actions (an unhandled type → one `ignored`). */
export function stripeEventActions(event: Stripe.Event): PaymentAction[] {
  const translate = HANDLERS[event.type];
  if (!translate) return [{ kind: 'ignored', reason: `event type ${event.type} is not handled` }];
  return translate(event.data.object);
}
