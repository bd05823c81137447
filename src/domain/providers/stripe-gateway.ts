import type { PaymentProviderAdapter } from './payment-provider';
import type { PaymentAction } from './provider-events';

/** One line of a Checkout Session, priced by us (minor units of the order's currency). */
export interface CheckoutLine {
  name: string;
  description?: string | null;
  unitAmount: number;
  quantity: number;
}

export interface CheckoutSessionRequest {
  orderId: string;
  paymentId: string;
  currency: string;
  lines: CheckoutLine[];
  successUrl: string;
  cancelUrl: string;
  customerEmail?: string | null;
  idempotencyKey: string;
  /** `manual`: the hosted page only authorizes; the money moves when `capturePaymentIntent` is called. */
  captureMethod?: 'automatic' | 'manual';
}

/** A Checkout Session in our terms; `actions` are the facts its state proves. */
export interface CheckoutSessionView {
  sessionId: string;
  url: string | null;
  status: 'open' | 'complete' | 'expired';
  successUrl: string | null;
  cancelUrl: string | null;
  actions: PaymentAction[];
}

export interface CardChargeRequest {
  orderId: string;
  paymentId: string;
  amount: number;
  currency: string;
  /** A PaymentMethod (`pm_…`); a card token becomes one first (`paymentMethodFromToken`). */
  paymentMethod: string;
  returnUrl: string;
  customerEmail?: string | null;
  idempotencyKey: string;
  /** `manual`: authorize only; the money moves when `capturePaymentIntent` is called. */
  captureMethod?: 'automatic' | 'manual';
}

/** What a confirmed PaymentIntent came to; a decline is a result here, not an exception. */
export interface CardChargeOutcome {
  providerPaymentId: string;
  chargeId?: string;
  requiresAction: boolean;
  clientSecret?: string;
  nextActionUrl?: string;
  actions: PaymentAction[];
  decline?: { code?: string; message: string };
}

/**
 * Stripe's payment flows as the domain uses them (hosted Checkout, a card charged with a
 * PaymentMethod, manual capture), on top of the operations every provider offers.
 */
export interface StripeGateway extends PaymentProviderAdapter {
  createCheckoutSession(request: CheckoutSessionRequest): Promise<CheckoutSessionView>;
  retrieveCheckoutSession(sessionId: string): Promise<CheckoutSessionView>;
  /** Expires an open session; one that already completed or expired is returned as it is. */
  expireCheckoutSession(sessionId: string, idempotencyKey: string): Promise<CheckoutSessionView>;
  /** A card token (`tok_…`) → a PaymentMethod; moves no money, and the same key gives the same one back. */
  paymentMethodFromToken(token: string, idempotencyKey: string): Promise<string>;
  /** Creates and confirms a PaymentIntent; a decline is a result (`decline`), not an exception. */
  chargeCard(request: CardChargeRequest): Promise<CardChargeOutcome>;
  retrievePaymentIntent(id: string): Promise<CardChargeOutcome>;
  /** Captures `amount` of an authorized PaymentIntent (one capture per PaymentIntent; the rest is released). */
  capturePaymentIntent(id: string, amount: number, idempotencyKey: string): Promise<CardChargeOutcome>;
  /** Cancels a PaymentIntent still awaiting the customer; one that already ended is returned as it is. */
  cancelPaymentIntent(id: string, idempotencyKey: string): Promise<CardChargeOutcome>;
}
