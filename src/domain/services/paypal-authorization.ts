import type { PaymentProviders } from '../providers/provider-registry';
import type { PaymentAction } from '../providers/provider-events';
import { ProviderError } from '../errors';
import { PaymentProvider } from '../../model/payment-types';
import type { PaymentAttempts } from './payment-attempts';

/** PayPal's answers while a request with the same PayPal-Request-Id is still being processed. */
const IN_PROGRESS: ReadonlySet<string> = new Set(['PREVIOUS_REQUEST_IN_PROGRESS', 'DUPLICATE_REQUEST_ID']);

/** A capture claimed on a PayPal authorization (capture.service.ts made the claim). */
export interface PayPalCaptureClaim {
  paymentId: string;
  paypalOrderId: string;
  amount: number;
  currency: string;
}

/**
 * The PayPal half of capturePayment / voidPayment. Our API takes one capture per authorization
 * for both providers, so every PayPal capture is sent with `final_capture: true` (PayPal releases
 * the rest) and PayPal's further captures are never used. The PayPal-Request-Id is derived from the
 * attempt and the amount: two admins capturing the same amount at once make one capture at PayPal,
 * and a retry after a lost answer finishes that same capture.
 */
export class PayPalAuthorization {
  constructor(
    private readonly providers: PaymentProviders,
    private readonly attempts: PaymentAttempts,
  ) {}

  /**
   * Captures at PayPal and applies what PayPal answered, as its webhook would be applied.
   * `release` frees the claim after a definite refusal (before the refusal's facts are applied).
   */
  async capture(claim: PayPalCaptureClaim, source: string, release: (why: string) => Promise<void>): Promise<void> {
    let outcome;
    try {
      outcome = await this.providers.paypal().captureAuthorization(claim.paypalOrderId, {
        amount: claim.amount, currency: claim.currency, requestId: `paypal-authcapture-${claim.paymentId}-${claim.amount}`,
      });
    } catch (error) {
      // The same capture still running at PayPal (a concurrent request with our PayPal-Request-Id) keeps the claim, like an unknown outcome.
      const unknown = error instanceof ProviderError && (error.retryable || IN_PROGRESS.has(error.providerCode ?? ''));
      if (error instanceof ProviderError && !unknown) await release(error.message);
      if (error instanceof ProviderError && unknown) {
        throw new ProviderError(
          `${error.message}. The capture may or may not have happened: call capturePayment again with the same amount to finish it (it reuses the same PayPal-Request-Id, so PayPal cannot capture twice)`,
          'PAYPAL', error.providerCode, true,
        );
      }
      throw error;
    }
    if (outcome.refused) await release(outcome.refused.message);
    await this.apply(claim.paymentId, outcome.actions, source);
    if (outcome.refused) throw outcome.refused;
  }

  /** Voids the authorization at PayPal and applies the voided authorization (or the order's facts) it answered. */
  async void(paymentId: string, paypalOrderId: string, source: string): Promise<void> {
    const outcome = await this.providers.paypal().voidAuthorization(paypalOrderId);
    await this.apply(paymentId, outcome.actions, source);
  }

  /** Provider facts pinned to our attempt, recorded as its webhook would be (payment-attempts.ts). */
  private apply(paymentId: string, actions: PaymentAction[], source: string): Promise<void> {
    return this.attempts.record(PaymentProvider.PAYPAL, paymentId, { ids: {}, actions }, source);
  }
}
