import 'reflect-metadata';
import { ConfigError } from './config/config.error';
import { loadConfig } from './config/config';
import { startService } from './app/start-service';
import { createLogger } from './logging/logger';
import { startTracing } from './observability/tracing';

/** Start-up only: validate configuration, start, print where to go, stop cleanly on a signal. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // Before anything serves, so every request is traced; the SDK is not even loaded otherwise.
  const tracing = config.tracing.exporter ? await startTracing(config.tracing.exporter) : undefined;
  const service = await startService(config, { logger });
  const lines = [`GraphQL API: ${service.url}/graphql`];
  if (config.host === '127.0.0.1' || config.host === '::1' || config.host === 'localhost') {
    lines.push(`Listening on ${config.host} only: other machines cannot reach this ${config.env} service (set HOST=0.0.0.0 to allow them)`);
  }
  if (config.storefront) lines.push(`Storefront:  ${service.url}/`);
  if (service.sandbox) lines.push(`Provider sandbox (Stripe ${config.stripe.mode}, PayPal ${config.paypal.mode}): ${service.sandbox.url}`);
  if (config.adminApiKeyGenerated) lines.push(`Admin API key (generated for this run; set ADMIN_API_KEY to fix it): ${config.adminApiKey}`);
  // Printed, not logged: this is the operator's start-up banner, and the generated key must not land in log storage.
  console.log(lines.join('\n'));
  logger.info({ port: service.port, stripe: config.stripe.mode, paypal: config.paypal.mode }, 'service started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // In-flight requests get SHUTDOWN_GRACE_SECONDS; this only catches a close that hangs past it.
    const force = setTimeout(() => process.exit(1), config.shutdownGraceMs + 5_000).unref();
    const report = await service.close();
    clearTimeout(force);
    await tracing?.shutdown().catch((err: unknown) => logger.warn({ err }, 'spans could not be flushed at shutdown'));
    if (report.cutRequests > 0) {
      logger.error({ cutRequests: report.cutRequests, graceSeconds: config.shutdownGraceMs / 1000 }, 'requests were cut off by the shutdown grace');
      process.exit(1);
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** One line an operator can act on, never a stack trace. */
function startFailure(error: unknown): string {
  const e = error as (NodeJS.ErrnoException & { port?: number; address?: string }) | undefined;
  if (e?.code === 'EADDRINUSE') {
    return `The service failed to start: port ${e.port} on ${e.address} is already in use. Stop what uses it, or choose another port (PORT for the API, SANDBOX_PORT for the sandbox, METRICS_PORT for metrics).`;
  }
  return `The service failed to start: ${error instanceof Error ? error.message : String(error)}`;
}

main().catch((error: unknown) => {
  console.error(startFailure(error));
  process.exit(1);
});
