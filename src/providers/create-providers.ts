import { sandboxCredentials } from '../app/sandbox-wiring';
import type { AppConfig } from '../config/config';
import type { PayPalAdapter } from './paypal/paypal.adapter';
import { createPayPalAdapter } from './paypal/paypal.factory';
import { ProviderRegistry } from './provider-registry';
import { instrumentAdapter } from '../observability/instrument-adapter';
import { createStripeAdapter } from './stripe/create-stripe-adapter';
import type { StripeAdapter } from './stripe/stripe.adapter';

/** The registry of this service, typed with its two adapters. */
export type AppProviders = ProviderRegistry<StripeAdapter, PayPalAdapter>;

/**
 * Builds one adapter per configured provider. Sandbox mode differs from real mode only in the
 * base URL and credentials handed to the official SDK: the code path is the same.
 */
export function createProviders(config: AppConfig, sandboxUrl: string | undefined): AppProviders {
  const credentials = sandboxCredentials(config);
  const stripe = createStripeAdapter(config, sandboxUrl, credentials);
  const paypal = createPayPalAdapter(config, sandboxUrl, credentials);
  return new ProviderRegistry({
    ...(stripe ? { STRIPE: instrumentAdapter('STRIPE', stripe) } : {}),
    ...(paypal ? { PAYPAL: instrumentAdapter('PAYPAL', paypal) } : {}),
  });
}
