import type { ProviderError } from '../errors';
import type { PaymentProviderAdapter } from './payment-provider';
import type { PaymentAction } from './provider-events';

/** One line of our order, in minor units. */
export interface PayPalItem {
  sku: string;
  name: string;
  unitAmount: number;
  quantity: number;
}

/** What a PayPal order is created from: our order and payment attempt. */
export interface PayPalOrderRequest {
  orderId: string;
  paymentId: string;
  currency: string;
  amount: number;
  items: PayPalItem[];
  returnUrl: string;
  cancelUrl: string;
  /** PayPal-Request-Id: the same id replays the first answer instead of creating a second order. */
  requestId: string;
  /** MANUAL: intent AUTHORIZE (funds held at approval + authorize, captured later); default CAPTURE. */
  captureMethod?: 'automatic' | 'manual';
}

export interface CreatedPayPalOrder {
  paypalOrderId: string;
  approveUrl: string;
  status: string;
}

/** A capture's facts; `declined` is set when PayPal refused the buyer's funding (the facts say FAILED). */
export interface CaptureOutcome {
  actions: PaymentAction[];
  declined?: ProviderError;
}

/** What an authorize, capture or void of an authorization showed; `refused` when PayPal said no for good. */
export interface AuthorizationOutcome {
  actions: PaymentAction[];
  refused?: ProviderError;
}

/** PayPal's Orders v2 flow as the domain uses it, on top of the operations every provider offers. */
export interface PayPalGateway extends PaymentProviderAdapter {
  /** Throws BAD_USER_INPUT when PayPal cannot take this order (its currency, its amounts). */
  assertPayable(order: { currency: string; items: PayPalItem[] }): void;
  createOrder(input: PayPalOrderRequest): Promise<CreatedPayPalOrder>;
  /** Captures an approved PayPal order with the claim's PayPal-Request-Id. */
  captureOrder(paypalOrderId: string, options: { requestId: string; mockResponse?: string }): Promise<CaptureOutcome>;
  /** The PayPal order's state now, as facts. */
  getOrder(paypalOrderId: string): Promise<PaymentAction[]>;
  /** intent AUTHORIZE: authorizes an approved order (the funds are held). */
  authorizeOrder(paypalOrderId: string, options: { requestId: string; mockResponse?: string }): Promise<CaptureOutcome>;
  /** Captures part or all of the order's authorization; a final capture releases the rest, another leaves it capturable. */
  captureAuthorization(paypalOrderId: string, input: { amount: number; currency: string; requestId: string; finalCapture: boolean }): Promise<AuthorizationOutcome>;
  /** Releases the order's authorization uncaptured. */
  voidAuthorization(paypalOrderId: string): Promise<AuthorizationOutcome>;
}
