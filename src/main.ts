import 'reflect-metadata';
import { ConfigError } from './config/config.error';
import { loadConfig } from './config/config';
import { startService } from './http/server';
import { createLogger } from './logging/logger';

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
  const service = await startService(config, { logger });
  const lines = [`GraphQL API: ${service.url}/graphql`];
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
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    await service.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('The service failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
