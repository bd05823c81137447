import { chargeObject, paymentMethodObject } from './card-objects';
import { cardByNumber } from './stripe.cards';
import type { StripeDeps } from './stripe.context';
import { AUTOMATIC, type EventOrigin } from './stripe.events';
import { nowSeconds, stripeId } from './stripe.ids';
import { paymentIntentObject } from './stripe.objects';
import type { ConfirmResult } from './stripe.payments';
import type { PaymentIntentRecord, PaymentMethodRecord, SessionRecord } from './stripe.store';

/** Session state changes shared by the API, the hosted page and the controls. */
export class CheckoutService {
  constructor(private readonly deps: StripeDeps) {}

  /** The session's PaymentIntent, created on the first payment attempt (API ≥ 2022-08-01 behaviour). */
  private intentFor(session: SessionRecord, types: string[]): PaymentIntentRecord {
    const existing = session.obj.payment_intent ? this.deps.store.paymentIntents.get(session.obj.payment_intent) : undefined;
    if (existing) return existing;
    const pid = session.paymentIntentData;
    const pi: PaymentIntentRecord = {
      obj: paymentIntentObject({
        amount: session.obj.amount_total, currency: session.obj.currency, description: pid.description, metadata: { ...pid.metadata },
        receiptEmail: null, paymentMethodTypes: types, automaticPaymentMethods: null,
      }),
      checkoutSessionId: session.obj.id,
    };
    if (pid.captureMethod) pi.obj.capture_method = pid.captureMethod;
    this.deps.store.paymentIntents.set(pi.obj.id, pi);
    session.obj.payment_intent = pi.obj.id;
    this.deps.events.emit('payment_intent.created', pi.obj, AUTOMATIC);
    return pi;
  }

  private complete(session: SessionRecord, email: string | null, paid: boolean): void {
    Object.assign(session.obj, {
      status: 'complete',
      payment_status: paid ? 'paid' : 'unpaid',
      url: null,
      customer_details: { address: null, email, name: null, phone: null, tax_exempt: 'none', tax_ids: [] },
    });
    this.deps.events.emit('checkout.session.completed', session.obj, AUTOMATIC);
  }

  /** Pay from the hosted page. Checkout performs 3-D Secure itself, so the card counts as authenticated. */
  payWithCard(session: SessionRecord, pm: PaymentMethodRecord, email: string | null): ConfirmResult {
    const pi = this.intentFor(session, ['card']);
    const result = this.deps.payments.confirm(pi, pm, AUTOMATIC, true);
    // An authorization (capture_method=manual) completes the session unpaid: no money has moved yet.
    if (result.kind === 'succeeded') this.complete(session, email, pi.obj.status === 'succeeded');
    return result;
  }

  /** Sessions past `expires_at` expire when next looked at (the sandbox has no background sweeper). */
  expireIfDue(session: SessionRecord): void {
    if (session.obj.status === 'open' && nowSeconds() >= (session.obj.expires_at as number)) this.expire(session, AUTOMATIC);
  }

  /** Expire an open session (API, control or deadline); an attempted PaymentIntent is canceled with it. */
  expire(session: SessionRecord, origin: EventOrigin): void {
    Object.assign(session.obj, { status: 'expired', url: null });
    const pi = session.obj.payment_intent ? this.deps.store.paymentIntents.get(session.obj.payment_intent) : undefined;
    if (pi && pi.obj.status !== 'succeeded' && pi.obj.status !== 'canceled') {
      Object.assign(pi.obj, { status: 'canceled', canceled_at: nowSeconds(), cancellation_reason: 'abandoned', next_action: null });
      this.deps.events.emit('payment_intent.canceled', pi.obj, origin);
    }
    this.deps.events.emit('checkout.session.expired', session.obj, origin);
  }

  /** Complete the session with a delayed-notification method (simulated ACH debit): `complete` but `unpaid`. */
  startAsync(session: SessionRecord): void {
    const pi = this.intentFor(session, ['card', 'us_bank_account']);
    const pm = this.deps.payments.savePaymentMethod(paymentMethodObject(cardByNumber('4242424242424242')!));
    Object.assign(pm.obj, {
      type: 'us_bank_account',
      card: undefined,
      us_bank_account: { account_holder_type: 'individual', account_type: 'checking', bank_name: 'STRIPE TEST BANK', financial_connections_account: null, fingerprint: pm.obj.id.slice(-16), last4: '6789', networks: { preferred: 'ach', supported: ['ach'] }, routing_number: '110000000', status_details: null },
    });
    delete pm.obj.card;
    Object.assign(pi.obj, { status: 'processing', payment_method: pm.obj.id, processing: null });
    session.asyncPending = true;
    this.complete(session, session.obj.customer_email as string | null, false);
  }

  /** Settle a delayed payment: the PaymentIntent succeeds or fails and the async Checkout event follows. */
  settleAsync(session: SessionRecord, outcome: 'succeeded' | 'failed'): void {
    const { store, events } = this.deps;
    const pi = store.paymentIntents.get(session.obj.payment_intent ?? '')!;
    const pm = store.paymentMethods.get(pi.obj.payment_method ?? '')!;
    const failed = outcome === 'failed';
    const decline = failed ? { code: 'insufficient_funds', declineCode: 'insufficient_funds', message: "The customer's account has insufficient funds to cover this payment." } : undefined;
    const charge = chargeObject({ amount: pi.obj.amount, currency: pi.obj.currency, pm, paymentIntent: pi.obj.id, description: null, metadata: { ...pi.obj.metadata }, receiptEmail: null, decline, authenticated: false });
    const bank = pm.obj.us_bank_account as Record<string, unknown>;
    charge.obj.payment_method_details = { type: 'us_bank_account', us_bank_account: { account_holder_type: bank.account_holder_type, account_type: bank.account_type, bank_name: bank.bank_name, fingerprint: bank.fingerprint, last4: bank.last4, routing_number: bank.routing_number } };
    charge.obj.balance_transaction = failed ? null : stripeId('txn');
    store.charges.set(charge.obj.id, charge);
    pi.obj.latest_charge = charge.obj.id;
    session.asyncPending = false;
    if (failed) {
      Object.assign(pi.obj, { status: 'requires_payment_method', last_payment_error: { code: 'payment_intent_payment_attempt_failed', message: 'The payment failed.', payment_method: pm.obj, type: 'invalid_request_error' } });
      events.emit('charge.failed', charge.obj, AUTOMATIC);
      events.emit('payment_intent.payment_failed', pi.obj, AUTOMATIC);
      events.emit('checkout.session.async_payment_failed', session.obj, AUTOMATIC);
      return;
    }
    Object.assign(pi.obj, { status: 'succeeded', amount_received: pi.obj.amount });
    session.obj.payment_status = 'paid';
    events.emit('charge.succeeded', charge.obj, AUTOMATIC);
    events.emit('payment_intent.succeeded', pi.obj, AUTOMATIC);
    events.emit('checkout.session.async_payment_succeeded', session.obj, AUTOMATIC, { payment_status: 'unpaid' });
  }
}
