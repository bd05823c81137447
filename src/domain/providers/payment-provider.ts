import type { PaymentProvider } from '../../model/payment-types';
import type { PaymentAction, PaymentRef, ProviderRefundState, VerifiedWebhook } from './provider-events';

/** Provider ids a provider's answer taught us about one of our attempts. */
export interface LearnedIds {
  sessionId?: string;
  providerPaymentId?: string;
  chargeId?: string;
}

/** A provider's answer about one of our attempts: the ids it taught us and the facts it proves. */
export interface AttemptAnswer {
  ids: LearnedIds;
  actions: PaymentAction[];
}

/** What every provider adapter offers, whatever its payment flow. */
export interface PaymentProviderAdapter {
  readonly provider: PaymentProvider;

  /**
   * Refunds part of a captured payment. `idempotencyKey` is derived from our refund id, so a
   * retry after a timeout can never refund twice. Throws ProviderError on refusal.
   */
  refund(request: {
    ref: PaymentRef;
    amount: number;
    currency: string;
    refundId: string;
    orderId: string;
    reason?: string | null;
    idempotencyKey: string;
  }): Promise<ProviderRefundState>;

  /**
   * Closes an open attempt at the provider so that it can no longer take money (another attempt
   * is starting, or the order is being canceled), and returns what the provider's answer proves:
   * the attempt may turn out to be paid already. `idempotencyKey`s derive from `paymentId`.
   * Absent for a provider whose attempts move no money until we capture them (PayPal): such an
   * attempt is closed in our own records, in the transaction that lets the other one go.
   */
  closeAttempt?(attempt: { paymentId: string; ref: PaymentRef }): Promise<AttemptAnswer | undefined>;

  /**
   * Verifies the raw webhook body against its headers (throws WebhookVerificationError) and
   * names the event. Runs on the ingest hot path: no translation, no provider calls beyond what
   * verification itself needs; an adapter that needs no I/O answers synchronously (no promise).
   */
  verifyWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): VerifiedWebhook | Promise<VerifiedWebhook>;

  /**
   * Translates a stored, already verified event body into facts, in the order they should be
   * applied. Called by the inbox worker outside any database transaction, so an adapter may ask
   * its provider to confirm what the event says; a throw is retried by the worker.
   */
  webhookActions(payload: string): Promise<PaymentAction[]>;

  /**
   * Reconciliation: the provider's truth about one payment attempt now, as facts (the attempt's
   * state; for captured money, also the refunds and disputes the provider holds, including those
   * made in its dashboard). Reads only. `onCall` is told of each provider request made, so the
   * caller can keep its per-round budget. Throws ProviderError (`retryable` for an outage).
   */
  retrievePayment(ref: PaymentRef, onCall?: () => void): Promise<PaymentAction[]>;

  /** Reconciliation: one refund as the provider holds it now (a `refund_state` fact). */
  retrieveRefund(providerRefundId: string, ref: PaymentRef, onCall?: () => void): Promise<PaymentAction[]>;
}
