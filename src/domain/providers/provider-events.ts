import type { PaymentProvider } from '../../model/payment-types';

/**
 * How a provider event points at our records. Adapters fill in whatever the event carries;
 * the domain resolves the payment from any of them (our metadata first, provider ids next),
 * so an event that arrives before the one that told us the provider's ids still finds it.
 */
export interface PaymentRef {
  /** Our payment attempt id, from metadata / custom_id. */
  paymentId?: string;
  /** Our order id, from metadata / client_reference_id / reference_id. */
  orderId?: string;
  /** Stripe Checkout Session id. */
  sessionId?: string;
  /** Stripe PaymentIntent id or PayPal order id. */
  providerPaymentId?: string;
  /** Stripe charge id or PayPal capture id. */
  chargeId?: string;
}

/** One refund as the provider sees it now. */
export interface ProviderRefundState {
  providerRefundId: string;
  amount: number;
  currency: string;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';
  /** Our refund id when we created it (metadata / invoice_id). */
  refundId?: string;
  failureMessage?: string;
}

/** One dispute as the provider describes it; amount/currency (minor units) when the event carries them. */
export interface ProviderDisputeRef {
  disputeId: string;
  reason?: string;
  amount?: number;
  currency?: string;
}

/** How a provider closed a dispute: `won` = the merchant keeps the money, `lost` = it went back to the buyer. */
export type DisputeOutcome = 'won' | 'lost';

/**
 * A provider event normalised into provider-neutral facts (Medusa-style actions). Adapters
 * produce these and never decide what they mean for an order; src/domain does.
 */
export type PaymentAction =
  /** `finalCapture`: false when the provider says more captures of the same authorization may follow (PayPal). */
  | { kind: 'payment_succeeded'; ref: PaymentRef; amount: number; currency: string; finalCapture?: boolean }
  | { kind: 'payment_authorized'; ref: PaymentRef; amount: number; currency: string }
  | { kind: 'payment_processing'; ref: PaymentRef }
  | { kind: 'payment_requires_action'; ref: PaymentRef }
  | { kind: 'payment_failed'; ref: PaymentRef; code?: string; message?: string }
  | { kind: 'payment_expired'; ref: PaymentRef }
  /** An authorization released before capture (a void): nothing was charged. */
  | { kind: 'payment_voided'; ref: PaymentRef }
  | { kind: 'payment_approved'; ref: PaymentRef }
  | { kind: 'refund_state'; ref: PaymentRef; refund: ProviderRefundState }
  | { kind: 'refund_total'; ref: PaymentRef; amountRefunded: number; currency: string }
  | ({ kind: 'dispute_opened'; ref: PaymentRef } & ProviderDisputeRef)
  | ({ kind: 'dispute_closed'; ref: PaymentRef; outcome: DisputeOutcome } & ProviderDisputeRef)
  | { kind: 'ignored'; reason: string };

/**
 * A webhook whose signature has been verified: what the inbox needs to store it. Its facts are
 * read later from the stored body (PaymentProviderAdapter.webhookActions), by the inbox worker.
 */
export interface VerifiedWebhook {
  provider: PaymentProvider;
  eventId: string;
  type: string;
  /** The raw body as UTF-8 text, when verifying decoded it anyway (the inbox stores it instead of decoding it again). */
  body?: string;
}

/** The signature, timestamp or certificate of a webhook did not check out: answer 400, apply nothing. */
export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}
