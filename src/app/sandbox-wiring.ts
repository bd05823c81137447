import type { AppConfig } from '../config/config';
import { SANDBOX_DEFAULTS } from '../sandbox/core/sandbox.defaults';
import type { SandboxOptions } from '../sandbox/core/sandbox.types';

/**
 * Credentials a provider uses in sandbox mode: whatever the environment gave, else the fixed
 * sandbox defaults, so the in-process sandbox and the service agree without configuration.
 */
export function sandboxCredentials(config: AppConfig) {
  return {
    stripeSecretKey: config.stripe.secretKey ?? SANDBOX_DEFAULTS.stripeSecretKey,
    stripeWebhookSecret: config.stripe.webhookSecret ?? SANDBOX_DEFAULTS.stripeWebhookSecret,
    paypalClientId: config.paypal.clientId ?? SANDBOX_DEFAULTS.paypalClientId,
    paypalClientSecret: config.paypal.clientSecret ?? SANDBOX_DEFAULTS.paypalClientSecret,
    paypalWebhookId: config.paypal.webhookId ?? SANDBOX_DEFAULTS.paypalWebhookId,
  };
}

/** Options for the in-process sandbox; webhook URLs are set once the API's port is known. */
export function inProcessSandboxOptions(config: AppConfig, overrides: Partial<SandboxOptions> = {}): SandboxOptions {
  const c = sandboxCredentials(config);
  return {
    port: config.sandbox.port,
    stripe: { webhookSecret: c.stripeWebhookSecret },
    paypal: { webhookId: c.paypalWebhookId, clientId: c.paypalClientId, clientSecret: c.paypalClientSecret },
    ...overrides,
  };
}
