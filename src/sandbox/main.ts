/**
 * Standalone sandbox (`npm run sandbox`): plays Stripe and PayPal on
 * SANDBOX_PORT and posts signed webhooks to the API's webhook routes.
 */
import { SANDBOX_DEFAULTS } from './core/sandbox.defaults';
import { startSandbox } from './core/sandbox.server';

function fail(message: string): never {
  process.stderr.write(`sandbox: ${message}\n`);
  process.exit(1);
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 65535) fail(`${name} must be a port number 1-65535, got "${raw}"`);
  return n;
}

function url(name: string, fallback: string): string {
  const raw = process.env[name] || fallback;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    fail(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw;
}

async function main(): Promise<void> {
  const sandboxPort = port('SANDBOX_PORT', SANDBOX_DEFAULTS.port);
  const apiPort = port('PORT', 4000);
  const env = (name: string, fallback: string): string => process.env[name] || fallback;
  const sandbox = await startSandbox({
    port: sandboxPort,
    host: env('SANDBOX_HOST', '127.0.0.1'),
    stripe: {
      webhookUrl: url('SANDBOX_STRIPE_WEBHOOK_URL', `http://localhost:${apiPort}/webhooks/stripe`),
      webhookSecret: env('STRIPE_WEBHOOK_SECRET', SANDBOX_DEFAULTS.stripeWebhookSecret),
    },
    paypal: {
      webhookUrl: url('SANDBOX_PAYPAL_WEBHOOK_URL', `http://localhost:${apiPort}/webhooks/paypal`),
      webhookId: env('PAYPAL_WEBHOOK_ID', SANDBOX_DEFAULTS.paypalWebhookId),
      clientId: env('PAYPAL_CLIENT_ID', SANDBOX_DEFAULTS.paypalClientId),
      clientSecret: env('PAYPAL_CLIENT_SECRET', SANDBOX_DEFAULTS.paypalClientSecret),
    },
    log: (msg, data) => process.stdout.write(`sandbox: ${msg} ${data ? JSON.stringify(data) : ''}\n`),
  });
  process.stdout.write(
    `Sandbox (Stripe + PayPal) listening on ${sandbox.url}\n` +
      `  Stripe webhooks -> ${process.env.SANDBOX_STRIPE_WEBHOOK_URL || `http://localhost:${apiPort}/webhooks/stripe`}\n` +
      `  PayPal webhooks -> ${process.env.SANDBOX_PAYPAL_WEBHOOK_URL || `http://localhost:${apiPort}/webhooks/paypal`}\n`,
  );
  const stop = (): void => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** One line an operator can act on: a taken port names the variable that moves it. */
function startFailure(err: unknown): string {
  const e = err as (NodeJS.ErrnoException & { port?: number; address?: string }) | undefined;
  if (e?.code === 'EADDRINUSE') return `port ${e.port} on ${e.address} is already in use. Stop what uses it, or choose another port with SANDBOX_PORT.`;
  return err instanceof Error ? err.message : String(err);
}

main().catch((err: unknown) => fail(startFailure(err)));
