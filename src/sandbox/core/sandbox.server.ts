import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createPayPalModule } from '../paypal/paypal.module';
import { createStripeModule } from '../stripe/stripe.module';
import { FaultQueue, faultMiddleware } from './fault-injection';
import { DEFAULT_WEBHOOK_RETRY_DELAYS_MS, DEFAULT_WEBHOOK_TIMEOUT_MS } from './sandbox.defaults';
import { sandboxControls } from './sandbox.controls';
import { sandboxIndex } from './sandbox.index';
import type { ProviderModule, RunningSandbox, SandboxContext, SandboxOptions, SandboxProvider } from './sandbox.types';
import { WebhookDispatcher } from './webhook-dispatcher';

/**
 * Start the Stripe + PayPal sandbox on its own HTTP server.
 * Layout: `/__sandbox/<provider>/…` provider controls, `/__sandbox/…` generic
 * controls, then fault injection in front of the provider routers at `/`.
 */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const log = options.log ?? (() => undefined);
  const urls: Record<SandboxProvider, string | undefined> = { stripe: options.stripe.webhookUrl, paypal: options.paypal.webhookUrl };
  const dispatcher = new WebhookDispatcher({
    retryDelaysMs: options.webhookRetryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
    timeoutMs: options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
    urlFor: (p) => urls[p],
    log,
  });
  const faults = new FaultQueue();
  let baseUrl = '';
  const ctx: SandboxContext = { options, baseUrl: () => baseUrl, webhooks: { enqueue: (job) => dispatcher.enqueue(job) }, log };
  // PayPal is mounted first: its `/v1/oauth2`, `/v1/notifications` paths sit inside Stripe's `/v1`.
  const modules: [SandboxProvider, ProviderModule][] = [
    ['paypal', createPayPalModule(ctx)],
    ['stripe', createStripeModule(ctx)],
  ];

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // A web page can POST text/plain or a form anywhere without asking; application/json needs a CORS
  // preflight, which the sandbox never grants. So only JSON may change state here.
  app.use('/__sandbox', (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.is('application/json')) return next();
    res.status(415).json({ error: `sandbox controls accept only Content-Type: application/json (got ${String(req.headers['content-type'] ?? 'none').slice(0, 100)})` });
  });
  app.get('/', sandboxIndex());
  for (const [name, mod] of modules) app.use(`/__sandbox/${name}`, mod.controls);
  app.use('/__sandbox', sandboxControls(dispatcher, faults));
  app.use('/__sandbox', (req, res) => res.status(404).json({ error: `no sandbox control ${req.method} ${req.originalUrl}` }));
  app.use(faultMiddleware(faults));
  for (const [, mod] of modules) app.use(mod.router);

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && !['0.0.0.0', '::'].includes(options.host) ? options.host : options.host ? 'localhost' : '127.0.0.1';
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log('sandbox listening', { url: baseUrl });

  return {
    url: baseUrl,
    port,
    setWebhookUrls(next) {
      if ('stripe' in next) urls.stripe = next.stripe;
      if ('paypal' in next) urls.paypal = next.paypal;
    },
    idle: () => dispatcher.idle(),
    close: async () => {
      dispatcher.close();
      faults.close();
      for (const [, mod] of modules) mod.close?.();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
