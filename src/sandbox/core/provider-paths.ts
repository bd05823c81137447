import type { SandboxProvider } from './sandbox.types';

const PAYPAL_API = /^\/(v1\/oauth2|v1\/notifications|v2)(\/|$)/;
const STRIPE_API = /^\/v1(\/|$)/;

/**
 * Which provider's API a request path belongs to, or undefined for anything
 * that is not a provider API call (hosted pages, controls). Both providers
 * live under `/v1`, so PayPal's prefixes are tested first.
 */
export function apiProviderOf(path: string): SandboxProvider | undefined {
  if (PAYPAL_API.test(path)) return 'paypal';
  if (STRIPE_API.test(path)) return 'stripe';
  return undefined;
}
