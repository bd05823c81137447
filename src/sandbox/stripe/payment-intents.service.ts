import { isHttpUrl, type StripeDeps } from './stripe.context';
import { invalidRequest, noSuch, StripeApiError } from './stripe.errors';
import type { EventOrigin } from './stripe.events';
import { render } from './stripe.expand';
import { paymentIntentObject } from './stripe.objects';
import type { Params } from './stripe.params';
import type { PaymentIntentRecord, PaymentMethodRecord } from './stripe.store';
import { checkChargeAmount, currencyParam, onlyOneOf } from './stripe.validation';

const CANCELABLE = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const RETURN_URL_REQUIRED =
  "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.";

const unexpectedState = (message: string) => invalidRequest(message, undefined, 'payment_intent_unexpected_state');

/**
 * What the `/v1/payment_intents` routes do, as Stripe does it: every check before any change, a
 * decline answered 402 `card_error` carrying the PaymentIntent. Each method returns the object to
 * send (rendered with the request's `expand`).
 */
export class PaymentIntentsService {
  constructor(private readonly deps: StripeDeps) {}

  find(id: string): PaymentIntentRecord {
    const pi = this.deps.store.paymentIntents.get(id);
    if (!pi) throw noSuch('payment_intent', id, 'intent');
    return pi;
  }

  /** `POST /v1/payment_intents`, confirming at once when `confirm=true`. */
  create(p: Params, origin: EventOrigin): unknown {
    const { store, events } = this.deps;
    const amount = p.reqInt('amount');
    const currency = currencyParam(p);
    checkChargeAmount(amount, currency);
    onlyOneOf(p, ['automatic_payment_methods', 'payment_method_types', 'allowed_payment_method_types']);
    const types = p.strings('payment_method_types') ?? p.strings('allowed_payment_method_types');
    const apmParams = p.obj('automatic_payment_methods');
    const apm = types
      ? null
      : { enabled: apmParams?.bool('enabled') ?? true, ...(apmParams?.str('allow_redirects') ? { allow_redirects: apmParams.str('allow_redirects') } : {}) };
    if (apmParams && apmParams.bool('enabled') === undefined) apmParams.missing('enabled');
    const pm = this.paymentMethodOf(p);
    const pi: PaymentIntentRecord = {
      obj: paymentIntentObject({
        amount, currency, description: p.str('description') ?? null, metadata: p.metadata(), receiptEmail: p.str('receipt_email') ?? null,
        paymentMethodTypes: types ?? ['card'], automaticPaymentMethods: apm?.enabled ? apm : null,
      }),
    };
    pi.obj.allowed_payment_method_types = p.strings('allowed_payment_method_types') ?? null;
    pi.obj.capture_method = p.str('capture_method') ?? 'automatic';
    if (pm) Object.assign(pi.obj, { payment_method: pm.obj.id, status: 'requires_confirmation' });
    if (p.bool('confirm')) {
      // Validate the confirmation before storing anything, so a refused request leaves no PI behind.
      const method = this.prepareConfirm(pi, pm, p);
      store.paymentIntents.set(pi.obj.id, pi);
      events.emit('payment_intent.created', pi.obj, origin);
      return this.confirm(pi, method, p, origin);
    }
    if (p.str('return_url')) pi.returnUrl = p.str('return_url');
    store.paymentIntents.set(pi.obj.id, pi);
    events.emit('payment_intent.created', pi.obj, origin);
    return render(store, pi.obj, p.strings('expand'));
  }

  /** `POST /v1/payment_intents/:id/confirm`. */
  confirmExisting(id: string, p: Params, origin: EventOrigin): unknown {
    const pi = this.find(id);
    if (pi.obj.status === 'succeeded') throw unexpectedState('You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.');
    if (!CONFIRMABLE.includes(pi.obj.status)) {
      throw unexpectedState(`You cannot confirm this PaymentIntent because it has a status of ${pi.obj.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`);
    }
    return this.confirm(pi, this.prepareConfirm(pi, this.paymentMethodOf(p), p), p, origin);
  }

  /** `POST /v1/payment_intents/:id/cancel`: not while its Checkout Session is open (expire that instead). */
  cancel(id: string, p: Params, origin: EventOrigin): unknown {
    const { store, payments } = this.deps;
    const pi = this.find(id);
    if (!CANCELABLE.includes(pi.obj.status)) {
      throw unexpectedState(`You cannot cancel this PaymentIntent because it has a status of ${pi.obj.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`);
    }
    const session = pi.checkoutSessionId ? store.sessions.get(pi.checkoutSessionId) : undefined;
    if (session?.obj.status === 'open') {
      throw unexpectedState(`This PaymentIntent is managed by Checkout Session ${session.obj.id}; expire the Checkout Session instead of canceling the PaymentIntent.`);
    }
    payments.releaseAuthorization(pi, p.str('cancellation_reason') ?? null, origin);
    return render(store, pi.obj, p.strings('expand'));
  }

  /** `POST /v1/payment_intents/:id/capture`: one capture per PaymentIntent; what `amount_to_capture` leaves is released at once. */
  capture(id: string, p: Params, origin: EventOrigin): unknown {
    const pi = this.find(id);
    if (pi.obj.status !== 'requires_capture') {
      throw unexpectedState(`This PaymentIntent could not be captured because it has a status of ${pi.obj.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`);
    }
    const capturable = Number(pi.obj.amount_capturable);
    const amount = p.int('amount_to_capture') ?? capturable;
    if (amount < 1) p.invalid('amount_to_capture', 'This value must be greater than or equal to 1.');
    if (amount > capturable) {
      throw invalidRequest(`The amount_to_capture (${amount}) must be less than or equal to the PaymentIntent's amount_capturable (${capturable}).`, 'amount_to_capture', 'amount_too_large');
    }
    const metadata = p.metadata();
    if (metadata) pi.obj.metadata = { ...(pi.obj.metadata as Record<string, string>), ...metadata };
    this.deps.payments.capture(pi, amount, origin);
    return render(this.deps.store, pi.obj, p.strings('expand'));
  }

  private paymentMethodOf(p: Params): PaymentMethodRecord | undefined {
    onlyOneOf(p, ['payment_method', 'payment_method_data']);
    const ref = p.str('payment_method');
    if (ref) return this.deps.payments.paymentMethod(ref);
    const data = p.obj('payment_method_data');
    if (!data) return undefined;
    data.reqStr('type');
    return data.invalid('type', 'A card PaymentMethod cannot be created from payment_method_data: card details go through POST /v1/payment_methods (type=card&card[token]=tok_…) or Stripe.js; pass the resulting payment_method. (The sandbox emulates no other type.)');
  }

  /** Every check a confirmation makes before it changes anything; returns the PaymentMethod to charge. */
  private prepareConfirm(pi: PaymentIntentRecord, pm: PaymentMethodRecord | undefined, p: Params): PaymentMethodRecord {
    const returnUrl = p.str('return_url');
    if (returnUrl && !isHttpUrl(returnUrl)) p.invalid('return_url', 'Not a valid URL');
    const method = pm ?? (pi.obj.payment_method ? this.deps.store.paymentMethods.get(pi.obj.payment_method) : undefined);
    if (!method) {
      throw unexpectedState("You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.");
    }
    const apm = pi.obj.automatic_payment_methods as { enabled: boolean; allow_redirects?: string } | null;
    const url = returnUrl ?? pi.returnUrl;
    if (apm?.enabled && apm.allow_redirects !== 'never' && !url) throw invalidRequest(RETURN_URL_REQUIRED);
    if (method.card.behaviour.kind === 'authenticate' && !url) {
      throw invalidRequest('This card requires 3-D Secure authentication, which the sandbox can only perform as a redirect: pass `return_url` when confirming (next_action `use_stripe_sdk` is not supported by the sandbox).', 'return_url');
    }
    return method;
  }

  /** Confirms: the PaymentIntent, or 402 `card_error` carrying it for a decline. */
  private confirm(pi: PaymentIntentRecord, method: PaymentMethodRecord, p: Params, origin: EventOrigin): unknown {
    const { store, payments } = this.deps;
    if (p.str('return_url')) pi.returnUrl = p.str('return_url');
    const receipt = p.str('receipt_email');
    if (receipt) pi.obj.receipt_email = receipt;
    const result = payments.confirm(pi, method, origin);
    const expand = p.strings('expand');
    if (result.kind !== 'declined') return render(store, pi.obj, expand);
    const err = pi.obj.last_payment_error as Record<string, unknown>;
    throw new StripeApiError(402, 'card_error', result.decline.message, { ...err, payment_intent: render(store, pi.obj, expand) });
  }
}
