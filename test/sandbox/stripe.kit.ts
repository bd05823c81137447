/**
 * Per-file setup for the Stripe emulator tests: a sandbox posting its Stripe
 * webhooks to a local receiver, and an official `stripe` SDK client on it.
 */
import Stripe from 'stripe';
import type { RunningSandbox } from '../../src/sandbox/core/sandbox.types';
import { startTestSandbox, startWebhookReceiver, TEST_CREDENTIALS, type ReceivedWebhook, type WebhookReceiver } from '../helpers/sandbox.helpers';

export interface StripeKit {
  sandbox: RunningSandbox;
  hooks: WebhookReceiver;
  stripe: Stripe;
  /** Verified Stripe events received so far (signature checked with the SDK). */
  events(): Stripe.Event[];
  /** A raw API call with the test key (form body), bypassing the SDK. */
  raw(method: string, path: string, form?: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  /** Wait until an event of `type` about object `objectId` arrived; returns it. */
  event(type: string, objectId?: string): Promise<Stripe.Event>;
  close(): Promise<void>;
}

/** An SDK client for a sandbox (no automatic retries unless asked). */
export function stripeClient(sandbox: { port: number }, key: string = TEST_CREDENTIALS.stripeSecretKey, maxNetworkRetries = 0): Stripe {
  return new Stripe(key, { host: '127.0.0.1', port: sandbox.port, protocol: 'http', maxNetworkRetries });
}

/** Verify a received webhook exactly as a service would. */
export function verify(stripe: Stripe, hook: ReceivedWebhook): Stripe.Event {
  return stripe.webhooks.constructEvent(hook.body, String(hook.headers['stripe-signature']), TEST_CREDENTIALS.stripeWebhookSecret);
}

export async function startStripeKit(): Promise<StripeKit> {
  const hooks = await startWebhookReceiver();
  const sandbox = await startTestSandbox({ stripe: { webhookUrl: `${hooks.url}/webhooks/stripe` } });
  const stripe = stripeClient(sandbox);
  const events = () => hooks.received.filter((h) => h.path === '/webhooks/stripe').map((h) => verify(stripe, h));
  return {
    sandbox,
    hooks,
    stripe,
    events,
    raw: (method, path, form, headers = {}) =>
      fetch(`${sandbox.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${TEST_CREDENTIALS.stripeSecretKey}`, ...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}), ...headers },
        body: form ? new URLSearchParams(form) : undefined,
      }),
    event: async (type, objectId) => {
      await hooks.waitFor(() => events().some((e) => e.type === type && (!objectId || (e.data.object as { id?: string }).id === objectId)));
      return events().find((e) => e.type === type && (!objectId || (e.data.object as { id?: string }).id === objectId))!;
    },
    close: async () => {
      await sandbox.close();
      await hooks.close();
    },
  };
}

/** The error a rejected SDK promise carries. */
export async function stripeError(p: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Stripe.errors.StripeError) return err;
    throw err;
  }
  throw new Error('expected the Stripe call to fail');
}
