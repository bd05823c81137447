import type { AppConfig } from '../../config/config';
import { StripeAdapter } from './stripe.adapter';
import { createStripeClient } from './stripe.client';

/**
 * The Stripe adapter for the configured mode: real keys (optionally `STRIPE_API_BASE`, e.g.
 * stripe-mock), or the built-in sandbox's URL with the sandbox credentials. Same code either way.
 */
export function createStripeAdapter(
  config: AppConfig,
  sandboxUrl: string | undefined,
  credentials: { stripeSecretKey: string; stripeWebhookSecret: string },
): StripeAdapter | undefined {
  const { stripe } = config;
  if (stripe.mode === 'real') return new StripeAdapter(createStripeClient(stripe.secretKey!, stripe.apiBase), stripe.webhookSecret!);
  if (stripe.mode === 'sandbox' && sandboxUrl) {
    return new StripeAdapter(createStripeClient(credentials.stripeSecretKey, sandboxUrl), credentials.stripeWebhookSecret);
  }
  return undefined;
}
