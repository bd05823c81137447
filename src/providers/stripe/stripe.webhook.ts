import type Stripe from 'stripe';
import { PaymentProvider } from '../../model/payment-types';
import { firstLineOf } from '../../domain/errors';
import { WebhookVerificationError, type PaymentAction, type VerifiedWebhook } from '../../domain/providers/provider-events';
import { stripeEventActions } from './stripe.events';

/** Stripe's documented default: a signature older than five minutes is refused (replay protection). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * How far ahead of our clock a signature's timestamp may be. The SDK only refuses old ones, so a
 * header signed "7 days from now" would stay replayable for a week.
 */
export const MAX_FUTURE_SKEW_SECONDS = 60;

/**
 * Verifies `Stripe-Signature` over the exact raw bytes with the endpoint secret (HMAC-SHA256,
 * any v1 may match, 300 s tolerance) using the SDK's own check (`webhooks.signature.verifyHeader`,
 * what `constructEvent` runs before it parses), and names the event. The body is decoded once and
 * parsed once: `constructEvent` given the bytes decodes them twice (to verify, then to parse) on
 * the ingest hot path. Every refusal says what was wrong, never what the right signature would
 * have been. Synchronous: no I/O, so no promise on the hot path.
 */
export function verifyStripeWebhook(stripe: Stripe, secret: string, rawBody: Buffer, headers: Record<string, string | string[] | undefined>): VerifiedWebhook {
  const header = headers['stripe-signature'];
  if (header === undefined || header === '') throw new WebhookVerificationError('Missing Stripe-Signature header');
  if (Array.isArray(header)) throw new WebhookVerificationError('More than one Stripe-Signature header');
  if (rawBody.length === 0) throw new WebhookVerificationError('Empty webhook body');
  const timestamp = Number(/(?:^|,)\s*t=(\d{1,12})(?:,|$)/.exec(header)?.[1]);
  if (timestamp > Date.now() / 1000 + MAX_FUTURE_SKEW_SECONDS) {
    throw new WebhookVerificationError(`Stripe-Signature rejected: timestamp ${timestamp} is more than ${MAX_FUTURE_SKEW_SECONDS} s in the future`);
  }
  const body = rawBody.toString('utf8');
  // The SDK decodes bytes with TextDecoder, which drops a leading byte order mark that toString
  // keeps: such a body goes to the SDK as bytes, so it verifies and parses exactly as it would.
  const signed = body.charCodeAt(0) === 0xfeff ? new TextDecoder('utf8').decode(rawBody) : body;
  try {
    stripe.webhooks.signature!.verifyHeader(signed === body ? body : rawBody, header, secret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (error) {
    throw new WebhookVerificationError(`Stripe-Signature rejected: ${firstLineOf(error)}`);
  }
  let event: Partial<Stripe.Event> | null;
  try {
    event = JSON.parse(signed) as Partial<Stripe.Event> | null;
  } catch (error) {
    // The signature was right: the sender signed a body that is not an event.
    throw new WebhookVerificationError(`Signed body is not JSON: ${firstLineOf(error)}`);
  }
  // constructEvent refuses a thin event notification (`v2.core.event`) in the same way.
  if ((event as { object?: unknown } | null)?.object === 'v2.core.event') throw new WebhookVerificationError('Stripe-Signature rejected: a thin event notification (v2.core.event) is not a webhook event');
  if (!event?.id || !event.type) throw new WebhookVerificationError('Signed body is not a Stripe event (no id or type)');
  return { provider: PaymentProvider.STRIPE, eventId: event.id, type: event.type, body };
}

/** The facts of a stored (verified) Stripe event body. */
export function storedStripeEventActions(payload: string): PaymentAction[] {
  return stripeEventActions(JSON.parse(payload) as Stripe.Event);
}
