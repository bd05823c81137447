import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inProcessSandboxOptions } from '../app/sandbox-wiring';
import { createServices, type AppServices } from '../app/services';
import type { AppConfig } from '../config/config';
import { openDatabase, type Orm } from '../db/orm';
import { openReadPool, type ReadPool } from '../db/read-pool';
import { createAppPubSub } from '../graphql/pubsub';
import { connectRedisRelay, type RedisRelay } from '../graphql/redis-relay';
import { buildAppSchema } from '../graphql/schema';
import { createLogger, type Logger } from '../logging/logger';
import { createProviders } from '../providers/create-providers';
import { startSandbox } from '../sandbox/core/sandbox.server';
import type { RunningSandbox, SandboxOptions } from '../sandbox/core/sandbox.types';
import { createApollo } from './apollo';
import { createExpressApp } from './app';
import { storefrontRoutes } from './storefront.routes';
import { webhookRoutes } from './webhook.routes';
import { attachSubscriptions } from './ws';

/** A started service; `close()` stops accepting, finishes in-flight requests, closes sockets, Redis, sandbox and database. */
export interface RunningService {
  readonly url: string;
  readonly port: number;
  readonly sandbox?: RunningSandbox;
  readonly orm: Orm;
  /** The connections the hot reads use (SQLite: read-only ones beside the writer; otherwise the ORM's). */
  readonly reads: ReadPool;
  readonly services: AppServices;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Test hook: overrides for the in-process sandbox (fast webhook retries, port 0). */
  sandbox?: Partial<SandboxOptions>;
}

/** Opens the database (migrating it), seeds the demo catalog, starts the sandbox if needed, and serves. */
export async function startService(config: AppConfig, options: StartOptions = {}): Promise<RunningService> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const orm = await openDatabase(config.database, { poolSize: config.databasePoolSize });
  const reads = openReadPool(config.database, orm);
  const sandbox = config.sandbox.enabled ? await startSandbox(inProcessSandboxOptions(config, options.sandbox)) : undefined;
  let relay: RedisRelay | undefined;
  try {
    relay = config.redis ? await connectRedisRelay(config.redis, logger) : undefined;
    const pubSub = createAppPubSub(relay);
    const providers = createProviders(config, sandbox?.url);
    let listeningUrl = '';
    const services = createServices(config, orm.em, pubSub, logger, providers, () => listeningUrl, () => reads.knex);
    await services.catalog.seedDemoProducts();
    const schema = buildAppSchema(pubSub);
    const httpServer = createServer();
    const subscriptions = attachSubscriptions(httpServer, schema, services);
    const apollo = createApollo(schema, httpServer, services, () => subscriptions.close());
    await apollo.start();
    httpServer.on('request', createExpressApp(apollo, services, orm, [
      { path: '/webhooks', router: webhookRoutes(services) },
      ...(config.storefront ? [{ path: '/', router: storefrontRoutes() }] : []),
    ]));
    await listen(httpServer, config.port, config.host);
    const port = (httpServer.address() as AddressInfo).port;
    const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
    listeningUrl = url;
    sandbox?.setWebhookUrls({
      stripe: config.sandbox.stripeWebhookUrl ?? `http://127.0.0.1:${port}/webhooks/stripe`,
      paypal: config.sandbox.paypalWebhookUrl ?? `http://127.0.0.1:${port}/webhooks/paypal`,
    });
    return {
      url,
      port,
      sandbox,
      orm,
      reads,
      services,
      close: async () => {
        await apollo.stop();
        await pubSub.close();
        await sandbox?.close();
        await reads.close();
        await orm.close();
      },
    };
  } catch (error) {
    await relay?.close();
    await sandbox?.close();
    await reads.close();
    await orm.close();
    throw error;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
