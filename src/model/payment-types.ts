/** Which provider a payment attempt went to (GraphQL enum `PaymentProvider`). */
export enum PaymentProvider {
  STRIPE = 'STRIPE',
  PAYPAL = 'PAYPAL',
}

/** How the customer pays (GraphQL enum `PaymentMethod`). */
export enum PaymentMethod {
  STRIPE_CHECKOUT = 'STRIPE_CHECKOUT',
  STRIPE_CARD = 'STRIPE_CARD',
  PAYPAL = 'PAYPAL',
}

/** The state of one payment attempt (not of the order). */
export enum PaymentStatus {
  OPEN = 'OPEN',
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  PROCESSING = 'PROCESSING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELED = 'CANCELED',
  EXPIRED = 'EXPIRED',
  /** Funds held (manual capture): the attempt may still be captured (→ SUCCEEDED), voided (→ CANCELED) or lapse (→ EXPIRED). */
  AUTHORIZED = 'AUTHORIZED',
}

/** The state of one refund. PENDING reserves the amount until the provider confirms. */
export enum RefundStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELED = 'CANCELED',
}

/** When the money moves (GraphQL enum `CaptureMethod`): at once, or when an admin captures the authorization. */
export enum CaptureMethod {
  AUTOMATIC = 'AUTOMATIC',
  MANUAL = 'MANUAL',
}

/** One capture of a PayPal authorization, as PayPal confirmed it (minor units). */
export interface AuthorizationCapture {
  id: string;
  amount: number;
  /** PayPal's `final_capture`: no further capture of the authorization follows. */
  final: boolean;
}

/** A capture of a PayPal authorization claimed before PayPal is called (payment-claim.ts). */
export interface AuthorizationCaptureClaim {
  amount: number;
  final: boolean;
  /** PayPal-Request-Id: stable across retries of this capture, new for the next one. */
  requestId: string;
}
