import type { PaymentProvider } from '../domain/payment-types';
import type { PaymentRef, ProviderRefundState, VerifiedWebhook } from './provider-events';

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
   * Verifies the raw webhook body against its headers (throws WebhookVerificationError) and
   * normalises it into actions.
   */
  verifyWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<VerifiedWebhook>;
}
