import type { AppConfig } from '../../config/config';
import { PayPalAdapter } from './paypal.adapter';
import { PAYPAL_HOSTS, PayPalClient } from './paypal.client';
import { PayPalWebhookVerifier } from './paypal.webhook';

/** Credentials in force: the real ones, or the sandbox defaults in sandbox mode. */
export interface PayPalCredentials {
  paypalClientId: string;
  paypalClientSecret: string;
  paypalWebhookId: string;
}

/**
 * Builds the PayPal adapter. Sandbox mode differs from real mode only in the base URL and the
 * credentials handed to the SDK, plus one trust decision: the built-in sandbox's certificate URL
 * is accepted for webhooks only when PayPal actually runs on the sandbox.
 */
export function createPayPalAdapter(app: AppConfig, sandboxUrl: string | undefined, credentials: PayPalCredentials): PayPalAdapter | undefined {
  const config = app.paypal;
  if (config.mode === 'disabled') return undefined;
  const onSandbox = config.mode === 'sandbox';
  if (onSandbox && !sandboxUrl) throw new Error('PayPal is in sandbox mode but no sandbox URL was given');
  const hosts = PAYPAL_HOSTS[config.env];
  const baseUrl = onSandbox ? (sandboxUrl as string) : config.apiBase ?? hosts.api;
  const client = new PayPalClient({
    clientId: credentials.paypalClientId,
    clientSecret: credentials.paypalClientSecret,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    webUrl: onSandbox ? (sandboxUrl as string) : hosts.web,
  });
  const live = !onSandbox && config.env === 'live';
  const verifier = new PayPalWebhookVerifier({
    webhookId: credentials.paypalWebhookId,
    method: config.webhookVerify,
    expectedCommonName: live ? 'messageverificationcerts.paypal.com' : 'messageverificationcerts.sandbox.paypal.com',
    sandboxOrigin: onSandbox ? new URL(sandboxUrl as string).origin : undefined,
  }, client);
  return new PayPalAdapter(client, verifier, { allowMockResponses: !live });
}
