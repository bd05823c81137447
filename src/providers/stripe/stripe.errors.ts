import Stripe from 'stripe';
import { ProviderError } from '../../domain/errors';
import { retryAfterMs } from '../retry-after';

/**
 * The code that names a Stripe refusal best: `generic_decline` says no more than `card_declined`,
 * any other decline code is the more precise one. For SDK errors and a PaymentIntent's
 * `last_payment_error` alike.
 */
export function declineCodeOf(error: { decline_code?: string | null; code?: string | null }): string | undefined {
  const decline = error.decline_code;
  return (decline && decline !== 'generic_decline' ? decline : (error.code ?? decline)) ?? undefined;
}

/**
 * True when Stripe may or may not have done the work: the connection failed or timed out, Stripe
 * answered 5xx, or the same idempotency key is still in flight (409). The caller must retry with
 * the SAME key, never treat it as a refusal.
 */
export function isOutcomeUnknown(error: unknown): boolean {
  if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError) return true;
  if (error instanceof Stripe.errors.StripeError) return (error.statusCode ?? 0) >= 500 || error.statusCode === 409;
  return true;
}

/** Any error from the SDK → ProviderError with Stripe's own code and message (never a stack or our key). */
export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const retryable = isOutcomeUnknown(error);
  if (error instanceof Stripe.errors.StripeError) {
    const message = retryable
      ? `Stripe did not answer in time or failed (${error.message}); the outcome is unknown, retry the same request`
      : error.message;
    return new ProviderError(message, 'STRIPE', declineCodeOf(error) ?? (retryable ? 'api_connection_error' : undefined), retryable, retryAfterMs(error.headers));
  }
  return new ProviderError('Stripe could not be reached; the outcome is unknown, retry the same request', 'STRIPE', 'api_connection_error', true);
}

/** The PaymentIntent Stripe attaches to a 402 card decline, if any. */
export function declinedPaymentIntent(error: unknown): Stripe.PaymentIntent | undefined {
  if (!(error instanceof Stripe.errors.StripeCardError)) return undefined;
  const pi = (error.raw as { payment_intent?: Stripe.PaymentIntent } | undefined)?.payment_intent ?? error.payment_intent;
  return pi && typeof pi === 'object' && pi.id ? pi : undefined;
}
