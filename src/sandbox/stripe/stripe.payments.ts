import type { SandboxContext } from '../core/sandbox.types';
import { chargeObject, paymentMethodObject } from './card-objects';
import { cardByPaymentMethod, cardByToken, type Decline } from './stripe.cards';
import { noSuch } from './stripe.errors';
import type { EventOrigin, StripeEvents } from './stripe.events';
import { cardErrorFields, disputeObject } from './stripe.objects';
import type { ChargeRecord, PaymentIntentRecord, PaymentMethodRecord, StripeObject, StripeStore } from './stripe.store';

/** How a confirmation ended. */
export type ConfirmResult =
  | { kind: 'succeeded'; charge: ChargeRecord }
  | { kind: 'declined'; decline: Decline; charge: ChargeRecord }
  | { kind: 'requires_action' };

const AUTH_FAILURE_MESSAGE =
  'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.';

/** The card-payment engine shared by the API routes, the hosted pages and the controls. */
export class StripePayments {
  constructor(
    private readonly store: StripeStore,
    private readonly events: StripeEvents,
    private readonly ctx: SandboxContext,
  ) {}

  /** A `pm_card_*` alias (a fresh PaymentMethod each time, like Stripe) or a stored `pm_…`. */
  paymentMethod(ref: string, param = 'payment_method'): PaymentMethodRecord {
    const alias = cardByPaymentMethod(ref);
    if (alias) return this.savePaymentMethod(paymentMethodObject(alias));
    const pm = this.store.paymentMethods.get(ref);
    if (!pm) throw noSuch('PaymentMethod', ref, param);
    return pm;
  }

  /** A PaymentMethod made from a test token; test tokens are reusable in the sandbox. */
  paymentMethodFromToken(token: string, param: string): PaymentMethodRecord {
    const card = cardByToken(token);
    if (!card) throw noSuch('token', token, param);
    return this.savePaymentMethod(paymentMethodObject(card));
  }

  savePaymentMethod(pm: PaymentMethodRecord): PaymentMethodRecord {
    this.store.paymentMethods.set(pm.obj.id, pm);
    return pm;
  }

  /** Charge the PaymentIntent with `pm`; 3-D Secure cards stop at `requires_action` unless already authenticated. */
  confirm(pi: PaymentIntentRecord, pm: PaymentMethodRecord, origin: EventOrigin, authenticated = false): ConfirmResult {
    const o = pi.obj;
    const behaviour = pm.card.behaviour;
    o.payment_method = pm.obj.id;
    if (behaviour.kind === 'authenticate' && !authenticated) {
      const url = `${this.ctx.baseUrl()}/stripe/3ds/${o.id}?client_secret=${encodeURIComponent(o.client_secret)}`;
      Object.assign(o, { status: 'requires_action', last_payment_error: null, next_action: { type: 'redirect_to_url', redirect_to_url: { return_url: pi.returnUrl ?? null, url } } });
      this.events.emit('payment_intent.requires_action', o, origin);
      return { kind: 'requires_action' };
    }
    const decline = behaviour.kind === 'decline' ? behaviour.decline : behaviour.kind === 'authenticate' ? behaviour.after : undefined;
    const charge = chargeObject({
      amount: o.amount, currency: o.currency, pm, paymentIntent: o.id, description: (o.description as string | null) ?? null, metadata: { ...o.metadata },
      receiptEmail: (o.receipt_email as string | null) ?? null, decline, authenticated: behaviour.kind === 'authenticate',
    });
    this.store.charges.set(charge.obj.id, charge);
    o.latest_charge = charge.obj.id;
    o.next_action = null;
    if (decline) {
      Object.assign(o, { status: 'requires_payment_method', last_payment_error: cardErrorFields(decline, charge.obj.id, pm.obj) });
      this.events.emit('charge.failed', charge.obj, origin);
      this.events.emit('payment_intent.payment_failed', o, origin);
      return { kind: 'declined', decline, charge };
    }
    if (o.capture_method === 'manual') return this.authorize(pi, charge, origin);
    Object.assign(o, { status: 'succeeded', amount_received: o.amount, last_payment_error: null });
    this.events.emit('charge.succeeded', charge.obj, origin);
    this.events.emit('payment_intent.succeeded', o, origin);
    this.disputeIfCardDoes(charge);
    return { kind: 'succeeded', charge };
  }

  /**
   * `capture_method=manual`: the card is authorized, not charged. The charge succeeds uncaptured and
   * the PaymentIntent waits in `requires_capture` with the whole amount capturable.
   */
  private authorize(pi: PaymentIntentRecord, charge: ChargeRecord, origin: EventOrigin): ConfirmResult {
    Object.assign(charge.obj, { captured: false, amount_captured: 0 });
    Object.assign(pi.obj, { status: 'requires_capture', amount_capturable: pi.obj.amount, last_payment_error: null });
    this.events.emit('charge.succeeded', charge.obj, origin);
    this.events.emit('payment_intent.amount_capturable_updated', pi.obj, origin);
    return { kind: 'succeeded', charge };
  }

  /** Capture `amount` of an authorized PaymentIntent; the rest of the authorization is released (one capture per PaymentIntent). */
  capture(pi: PaymentIntentRecord, amount: number, origin: EventOrigin): void {
    const charge = this.store.charges.get(String(pi.obj.latest_charge));
    if (charge) Object.assign(charge.obj, { captured: true, amount_captured: amount });
    Object.assign(pi.obj, { status: 'succeeded', amount_capturable: 0, amount_received: amount });
    if (charge) this.events.emit('charge.captured', charge.obj, origin);
    this.events.emit('payment_intent.succeeded', pi.obj, origin);
  }

  /**
   * Release an authorization: a cancel (`reason` given by the caller) or a lapse (`automatic`, Stripe
   * cancels uncaptured PaymentIntents after 7 days and the charge expires first).
   */
  releaseAuthorization(pi: PaymentIntentRecord, reason: string | null, origin: EventOrigin): void {
    const charge = pi.obj.latest_charge ? this.store.charges.get(pi.obj.latest_charge) : undefined;
    if (reason === 'automatic' && charge) this.events.emit('charge.expired', charge.obj, origin);
    Object.assign(pi.obj, { status: 'canceled', amount_capturable: 0, canceled_at: Math.floor(Date.now() / 1000), cancellation_reason: reason, next_action: null });
    this.events.emit('payment_intent.canceled', pi.obj, origin);
  }

  /** The customer failed (or abandoned) 3-D Secure. */
  failAuthentication(pi: PaymentIntentRecord, origin: EventOrigin): void {
    const pm = pi.obj.payment_method ? this.store.paymentMethods.get(pi.obj.payment_method)?.obj : undefined;
    Object.assign(pi.obj, {
      status: 'requires_payment_method',
      next_action: null,
      last_payment_error: {
        code: 'payment_intent_authentication_failure',
        doc_url: 'https://stripe.com/docs/error-codes/payment-intent-authentication-failure',
        message: AUTH_FAILURE_MESSAGE,
        ...(pm ? { payment_method: pm } : {}),
        type: 'invalid_request_error',
      },
    });
    this.events.emit('payment_intent.payment_failed', pi.obj, origin);
  }

  /** Cards like `pm_card_createDispute` are disputed right after a successful charge. */
  disputeIfCardDoes(charge: ChargeRecord, origin: EventOrigin = { requestId: null, idempotencyKey: null }): void {
    const b = charge.card.behaviour;
    if (b.kind === 'dispute') this.dispute(charge, b.reason, charge.obj.amount, b.inquiry, origin);
  }

  /** Open a dispute on a charge and announce it with `charge.dispute.created`. */
  dispute(charge: ChargeRecord, reason: string, amount: number, inquiry: boolean, origin: EventOrigin): StripeObject {
    const dispute = disputeObject(charge, reason, amount, inquiry);
    this.store.disputes.set(dispute.id, dispute);
    charge.obj.disputed = true;
    this.events.emit('charge.dispute.created', dispute, origin);
    return dispute;
  }

  /** Decide an open dispute (`won`, `lost`, or `warning_closed` for an inquiry) and announce it with `charge.dispute.closed`. */
  closeDispute(dispute: StripeObject, status: 'won' | 'lost' | 'warning_closed', origin: EventOrigin): StripeObject {
    dispute.status = status;
    this.events.emit('charge.dispute.closed', dispute, origin);
    return dispute;
  }
}
