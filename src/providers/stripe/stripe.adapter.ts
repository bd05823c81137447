import Stripe from 'stripe';
import { PaymentProvider } from '../../model/payment-types';
import type { AttemptAnswer, PaymentProviderAdapter } from '../../domain/providers/payment-provider';
import type { CardChargeOutcome, CardChargeRequest, CheckoutSessionRequest, CheckoutSessionView, StripeGateway } from '../../domain/providers/stripe-gateway';
import type { PaymentAction, PaymentRef, ProviderRefundState, VerifiedWebhook } from '../../domain/providers/provider-events';
import { toStripeCurrency } from './stripe.amounts';
import { declineCodeOf, declinedPaymentIntent, toProviderError } from './stripe.errors';
import { CHECKOUT_FLOW_KEY, paymentIntentActions, refundState, sessionActions } from './stripe.objects';
import { retrieveStripePayment, retrieveStripeRefund } from './stripe.retrieve';
import { storedStripeEventActions, verifyStripeWebhook } from './stripe.webhook';

/**
 * The Stripe adapter: SDK calls in, our terms out. It never decides what a fact means for an
 * order (the domain does); every call that creates or changes something carries the caller's
 * idempotency key, and every SDK error leaves as a ProviderError.
 */
export class StripeAdapter implements StripeGateway {
  readonly provider = PaymentProvider.STRIPE;

  constructor(
    private readonly stripe: Stripe,
    private readonly webhookSecret: string,
  ) {}

  async createCheckoutSession(request: CheckoutSessionRequest): Promise<CheckoutSessionView> {
    const metadata = { orderId: request.orderId, paymentId: request.paymentId };
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      line_items: request.lines.map((line) => ({
        quantity: line.quantity,
        price_data: {
          currency: toStripeCurrency(request.currency),
          unit_amount: line.unitAmount,
          product_data: { name: line.name, ...(line.description ? { description: line.description } : {}) },
        },
      })),
      success_url: request.successUrl,
      cancel_url: request.cancelUrl,
      client_reference_id: request.orderId,
      metadata,
      payment_intent_data: { metadata: { ...metadata, [CHECKOUT_FLOW_KEY]: 'true' }, ...(request.captureMethod === 'manual' ? { capture_method: 'manual' as const } : {}) },
      ...(request.customerEmail ? { customer_email: request.customerEmail } : {}),
    };
    return call(async () => sessionView(await this.stripe.checkout.sessions.create(params, { idempotencyKey: request.idempotencyKey })));
  }

  async retrieveCheckoutSession(sessionId: string): Promise<CheckoutSessionView> {
    return call(async () => sessionView(await this.stripe.checkout.sessions.retrieve(sessionId)));
  }

  /** Expires an open session; one that already completed or expired is returned as it is. */
  async expireCheckoutSession(sessionId: string, idempotencyKey: string): Promise<CheckoutSessionView> {
    const current = await this.retrieveCheckoutSession(sessionId);
    if (current.status !== 'open') return current;
    return call(async () => sessionView(await this.stripe.checkout.sessions.expire(sessionId, {}, { idempotencyKey })));
  }

  /**
   * A card token (`tok_…`) → a PaymentMethod, through `POST /v1/payment_methods`
   * (`type=card&card[token]=…`, in Stripe's published API). Moves no money; the same key gives the
   * same PaymentMethod back, so a retried charge confirms with the very same one.
   */
  async paymentMethodFromToken(token: string, idempotencyKey: string): Promise<string> {
    return call(async () => (await this.stripe.paymentMethods.create({ type: 'card', card: { token } }, { idempotencyKey })).id);
  }

  /** Creates and confirms a PaymentIntent with a PaymentMethod. */
  async chargeCard(request: CardChargeRequest): Promise<CardChargeOutcome> {
    const metadata = { orderId: request.orderId, paymentId: request.paymentId };
    const params: Stripe.PaymentIntentCreateParams = {
      amount: request.amount,
      currency: toStripeCurrency(request.currency),
      confirm: true,
      metadata,
      return_url: request.returnUrl,
      payment_method: request.paymentMethod,
      ...(request.captureMethod === 'manual' ? { capture_method: 'manual' as const } : {}),
      ...(request.customerEmail ? { receipt_email: request.customerEmail } : {}),
    };
    try {
      return chargeOutcome(await this.stripe.paymentIntents.create(params, { idempotencyKey: request.idempotencyKey }));
    } catch (error) {
      const pi = declinedPaymentIntent(error);
      if (!pi) throw toProviderError(error);
      const stripeError = error as Stripe.errors.StripeCardError;
      return { ...chargeOutcome(pi), decline: { code: declineCodeOf(stripeError), message: stripeError.message } };
    }
  }

  async retrievePaymentIntent(id: string): Promise<CardChargeOutcome> {
    return call(async () => chargeOutcome(await this.stripe.paymentIntents.retrieve(id)));
  }

  /** Captures `amount` of an authorized PaymentIntent (one capture per PaymentIntent; the rest is released). */
  async capturePaymentIntent(id: string, amount: number, idempotencyKey: string): Promise<CardChargeOutcome> {
    return call(async () => chargeOutcome(await this.stripe.paymentIntents.capture(id, { amount_to_capture: amount }, { idempotencyKey })));
  }

  /** Cancels a PaymentIntent still awaiting the customer; one that already ended is returned as it is. */
  async cancelPaymentIntent(id: string, idempotencyKey: string): Promise<CardChargeOutcome> {
    const current = await this.retrievePaymentIntent(id);
    if (current.actions.some((a) => a.kind === 'payment_succeeded' || a.kind === 'payment_expired')) return current;
    return call(async () => chargeOutcome(await this.stripe.paymentIntents.cancel(id, {}, { idempotencyKey })));
  }

  /** An open Checkout Session is expired, a PaymentIntent awaiting the customer canceled. */
  async closeAttempt({ paymentId, ref }: { paymentId: string; ref: PaymentRef }): Promise<AttemptAnswer | undefined> {
    if (ref.sessionId) {
      const view = await this.expireCheckoutSession(ref.sessionId, `expire-${paymentId}`);
      return { ids: { sessionId: view.sessionId }, actions: view.actions };
    }
    if (ref.providerPaymentId) {
      const outcome = await this.cancelPaymentIntent(ref.providerPaymentId, `cancel-${paymentId}`);
      return { ids: { providerPaymentId: outcome.providerPaymentId, chargeId: outcome.chargeId }, actions: outcome.actions };
    }
    return undefined;
  }

  async refund(request: Parameters<PaymentProviderAdapter['refund']>[0]): Promise<ProviderRefundState> {
    const target = refundTarget(request.ref);
    const metadata: Record<string, string> = { refundId: request.refundId, orderId: request.orderId };
    if (request.ref.paymentId) metadata.paymentId = request.ref.paymentId;
    if (request.reason) metadata.reason = request.reason.slice(0, 500);
    return call(async () =>
      refundState(await this.stripe.refunds.create({ ...target, amount: request.amount, metadata }, { idempotencyKey: request.idempotencyKey })),
    );
  }

  async retrievePayment(ref: PaymentRef, onCall: () => void = () => undefined): Promise<PaymentAction[]> {
    return call(() => retrieveStripePayment(this.stripe, ref, onCall));
  }

  async retrieveRefund(providerRefundId: string, _ref: PaymentRef, onCall: () => void = () => undefined): Promise<PaymentAction[]> {
    return call(() => retrieveStripeRefund(this.stripe, providerRefundId, onCall));
  }

  verifyWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): VerifiedWebhook {
    return verifyStripeWebhook(this.stripe, this.webhookSecret, rawBody, headers);
  }

  async webhookActions(payload: string): Promise<PaymentAction[]> {
    return storedStripeEventActions(payload);
  }
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toProviderError(error);
  }
}

function refundTarget(ref: PaymentRef): { charge: string } | { payment_intent: string } {
  if (ref.chargeId) return { charge: ref.chargeId };
  if (ref.providerPaymentId) return { payment_intent: ref.providerPaymentId };
  throw new Error('A Stripe refund needs the charge or PaymentIntent id of the payment');
}

function sessionView(session: Stripe.Checkout.Session): CheckoutSessionView {
  return {
    sessionId: session.id,
    url: session.url ?? null,
    status: (session.status ?? 'open') as CheckoutSessionView['status'],
    successUrl: session.success_url ?? null,
    cancelUrl: session.cancel_url ?? null,
    actions: sessionActions(session),
  };
}

function chargeOutcome(pi: Stripe.PaymentIntent): CardChargeOutcome {
  const redirect = pi.next_action?.redirect_to_url?.url ?? undefined;
  const requiresAction = pi.status === 'requires_action';
  return {
    providerPaymentId: pi.id,
    chargeId: typeof pi.latest_charge === 'string' ? pi.latest_charge : (pi.latest_charge?.id ?? undefined),
    requiresAction,
    clientSecret: requiresAction ? (pi.client_secret ?? undefined) : undefined,
    nextActionUrl: requiresAction ? redirect : undefined,
    actions: paymentIntentActions(pi),
  };
}
