import { sandboxCredentials } from './sandbox-wiring';
import type { AppConfig } from '../config/config';
import { createPayPalAdapter } from '../providers/paypal/paypal.factory';
import { ProviderRegistry, type PaymentProviders } from '../domain/providers/provider-registry';
import { instrumentAdapter } from './instrument-adapter';
import { createStripeAdapter } from '../providers/stripe/create-stripe-adapter';

/**
 * Builds one adapter per configured provider. Sandbox mode differs from real mode only in the
 * base URL and credentials handed to the official SDK: the code path is the same.
 */
export function createProviders(config: AppConfig, sandboxUrl: string | undefined): PaymentProviders {
  const credentials = sandboxCredentials(config);
  const stripe = createStripeAdapter(config, sandboxUrl, credentials);
  const paypal = createPayPalAdapter(config, sandboxUrl, credentials);
  return new ProviderRegistry({
    ...(stripe ? { STRIPE: instrumentAdapter('STRIPE', stripe) } : {}),
    ...(paypal ? { PAYPAL: instrumentAdapter('PAYPAL', paypal) } : {}),
  });
}
