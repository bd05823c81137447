import type Stripe from 'stripe';
import type { PaymentAction, PaymentRef } from '../../domain/providers/provider-events';
import { chargeRefundActions, disputeAction, paymentIntentActions, refundRef, refundState, sessionActions } from './stripe.objects';

const idOf = (value: string | { id: string } | null | undefined): string | undefined =>
  typeof value === 'string' ? value : (value?.id ?? undefined);

/**
 * Reconciliation reads of one attempt: the Checkout Session with its PaymentIntent expanded (or the
 * PaymentIntent), then, once money was captured, the charge with its refunds and, when Stripe marks
 * it disputed, its disputes. Every fact comes from Stripe's answer, never from our guess: an
 * abandoned session is EXPIRED only once Stripe says `status: expired`.
 */
export async function retrieveStripePayment(stripe: Stripe, ref: PaymentRef, onCall: () => void): Promise<PaymentAction[]> {
  const actions: PaymentAction[] = [];
  let pi: Stripe.PaymentIntent | undefined;
  if (ref.sessionId) {
    onCall();
    const session = await stripe.checkout.sessions.retrieve(ref.sessionId, { expand: ['payment_intent'] });
    actions.push(...sessionActions(session));
    if (session.payment_intent && typeof session.payment_intent === 'object') {
      pi = session.payment_intent;
      // The session speaks for a Checkout payment; its PaymentIntent adds the charge id to learn.
      if (pi.status === 'succeeded') actions.push(...paymentIntentActions(pi));
    }
  } else if (ref.providerPaymentId) {
    onCall();
    pi = await stripe.paymentIntents.retrieve(ref.providerPaymentId);
    actions.push(...paymentIntentActions(pi));
  }
  const chargeId = ref.chargeId ?? idOf(pi?.latest_charge);
  const captured = actions.some((a) => a.kind === 'payment_succeeded');
  if (!chargeId || !captured) return actions;
  onCall();
  const charge = await stripe.charges.retrieve(chargeId, { expand: ['refunds'] });
  if (charge.amount_refunded > 0 || (charge.refunds?.data.length ?? 0) > 0) actions.push(...chargeRefundActions(charge));
  if (charge.disputed) {
    onCall();
    const disputes = await stripe.disputes.list({ charge: chargeId, limit: 10 });
    for (const dispute of disputes.data) actions.push(disputeAction(dispute, true));
  }
  return actions;
}

/** One refund as Stripe holds it now (`pending` → `succeeded`, or `failed` after it succeeded). */
export async function retrieveStripeRefund(stripe: Stripe, providerRefundId: string, onCall: () => void): Promise<PaymentAction[]> {
  onCall();
  const refund = await stripe.refunds.retrieve(providerRefundId);
  return [{ kind: 'refund_state', ref: refundRef(refund), refund: refundState(refund) }];
}
