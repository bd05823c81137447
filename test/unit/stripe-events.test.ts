import type Stripe from 'stripe';
import { stripeEventActions } from '../../src/providers/stripe/stripe.events';

const event = (type: string, object: Record<string, unknown>) => ({ id: 'evt_1', object: 'event', type, data: { object } }) as unknown as Stripe.Event;
const ids = { orderId: 'o-1', paymentId: 'p-1' };

/** Stripe event → provider-neutral facts (pure translation; no decisions about orders). */
describe('stripeEventActions', () => {
  it('checkout.session.completed: paid → payment_succeeded in upper-case currency; unpaid → processing', () => {
    const session = { id: 'cs_1', object: 'checkout.session', status: 'complete', payment_status: 'paid', amount_total: 1500, currency: 'jpy', client_reference_id: 'o-1', metadata: ids, payment_intent: 'pi_1' };
    expect(stripeEventActions(event('checkout.session.completed', session))).toEqual([
      { kind: 'payment_succeeded', ref: { paymentId: 'p-1', orderId: 'o-1', sessionId: 'cs_1', providerPaymentId: 'pi_1' }, amount: 1500, currency: 'JPY' },
    ]);
    expect(stripeEventActions(event('checkout.session.completed', { ...session, payment_status: 'unpaid' }))[0].kind).toBe('payment_processing');
    expect(stripeEventActions(event('checkout.session.expired', { ...session, status: 'expired' }))[0].kind).toBe('payment_expired');
  });

  it('payment_intent.payment_failed: the decline code, generic_decline reported as card_declined; a Checkout try is ignored', () => {
    const pi = { id: 'pi_1', object: 'payment_intent', status: 'requires_payment_method', metadata: ids, latest_charge: 'ch_1', last_payment_error: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } };
    expect(stripeEventActions(event('payment_intent.payment_failed', pi))).toEqual([
      { kind: 'payment_failed', ref: { paymentId: 'p-1', orderId: 'o-1', providerPaymentId: 'pi_1', chargeId: 'ch_1' }, code: 'card_declined', message: 'Your card was declined.' },
    ]);
    const funds = { ...pi, last_payment_error: { ...pi.last_payment_error, decline_code: 'insufficient_funds' } };
    expect(stripeEventActions(event('payment_intent.payment_failed', funds))[0]).toMatchObject({ code: 'insufficient_funds' });
    expect(stripeEventActions(event('payment_intent.payment_failed', { ...pi, metadata: { ...ids, checkoutFlow: 'true' } }))[0].kind).toBe('ignored');
  });

  it('charge.refunded: each listed refund’s state, or the total when Stripe did not list them', () => {
    const charge = { id: 'ch_1', object: 'charge', amount: 5000, amount_refunded: 1000, currency: 'usd', payment_intent: 'pi_1', metadata: ids };
    const refund = { id: 're_1', object: 'refund', amount: 1000, currency: 'usd', status: 'succeeded', metadata: { refundId: 'r-1' }, charge: 'ch_1', payment_intent: 'pi_1' };
    expect(stripeEventActions(event('charge.refunded', { ...charge, refunds: { data: [refund] } }))).toEqual([
      { kind: 'refund_state', ref: { paymentId: 'p-1', orderId: 'o-1', providerPaymentId: 'pi_1', chargeId: 'ch_1' }, refund: { providerRefundId: 're_1', amount: 1000, currency: 'USD', status: 'SUCCEEDED', refundId: 'r-1', failureMessage: undefined } },
    ]);
    expect(stripeEventActions(event('charge.refunded', charge))).toEqual([
      { kind: 'refund_total', ref: { paymentId: 'p-1', orderId: 'o-1', providerPaymentId: 'pi_1', chargeId: 'ch_1' }, amountRefunded: 1000, currency: 'USD' },
    ]);
    const failed = stripeEventActions(event('refund.updated', { ...refund, status: 'failed', failure_reason: 'expired_or_canceled_card' }));
    expect(failed[0]).toMatchObject({ kind: 'refund_state', refund: { status: 'FAILED', failureMessage: 'expired_or_canceled_card' } });
  });

  it('charge.dispute.created → dispute_opened; anything else → ignored', () => {
    expect(stripeEventActions(event('charge.dispute.created', { id: 'dp_1', charge: 'ch_1', payment_intent: 'pi_1', reason: 'fraudulent' }))).toEqual([
      { kind: 'dispute_opened', ref: { chargeId: 'ch_1', providerPaymentId: 'pi_1' }, disputeId: 'dp_1', reason: 'fraudulent' },
    ]);
    expect(stripeEventActions(event('customer.created', { id: 'cus_1' }))).toEqual([{ kind: 'ignored', reason: 'event type customer.created is not handled' }]);
  });
});
