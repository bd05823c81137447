/**
 * Credentials the service and the sandbox share when no real provider keys are
 * configured. They are public, fixed values: the sandbox accepts any `sk_test_`
 * key, and these only have to agree between the two sides.
 */
export const SANDBOX_DEFAULTS = {
  stripeSecretKey: 'sk_test_sandbox',
  stripeWebhookSecret: 'whsec_sandbox_0123456789abcdef0123456789abcdef',
  paypalClientId: 'sandbox-client-id',
  paypalClientSecret: 'sandbox-client-secret',
  paypalWebhookId: 'WH-SANDBOX-0000',
  port: 4010,
} as const;

/** Default pauses between webhook attempts (ms), like providers' growing backoff. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000, 600_000];

/** A delivery attempt slower than this counts as failed. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
