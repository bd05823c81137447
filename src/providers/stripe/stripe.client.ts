import Stripe from 'stripe';

/** How long one Stripe HTTP request may take before the SDK gives up on it (and retries with the same key). */
export const STRIPE_TIMEOUT_MS = 20_000;

/**
 * The one official SDK client. `baseUrl` points it at the sandbox or stripe-mock (host/port/protocol,
 * as stripe-node's own tests do); without it the SDK talks to api.stripe.com. Network failures, 409s
 * and 5xx are retried twice by the SDK, always with the caller's idempotency key.
 */
export function createStripeClient(secretKey: string, baseUrl?: string, timeoutMs = STRIPE_TIMEOUT_MS): Stripe {
  const config: Stripe.StripeConfig = { maxNetworkRetries: 2, timeout: timeoutMs, appInfo: { name: 'payments-graphql-api' } };
  if (baseUrl) {
    const url = new URL(baseUrl);
    const protocol = url.protocol === 'https:' ? 'https' : 'http';
    config.host = url.hostname;
    config.port = Number(url.port || (protocol === 'https' ? 443 : 80));
    config.protocol = protocol;
  }
  return new Stripe(secretKey, config);
}
