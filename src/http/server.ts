import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
import type { InboxOptions } from '../domain/services/webhook-inbox.service';
import type { Resolve } from '../outbound-webhooks/http-sender';
import { createApollo } from './apollo';
import { createExpressApp, securityHeaderOptions } from './app';
import { ClientBudget } from './client-budget';
import { InFlight } from './in-flight';
import { storefrontRoutes } from './storefront.routes';
import { graphiqlRoutes } from './graphiql.routes';
import { webhookIngest } from './webhook-ingest';
import { webhookRoutes } from './webhook.routes';
import { attachSubscriptions } from './ws';
import { startMetricsEndpoint } from '../observability/metrics.server';
import { traceQueries } from '../observability/tracing.hooks';
import type { AbstractSqlConnection } from '@mikro-orm/knex';

/** What shutting down left undone: requests still running when SHUTDOWN_GRACE_SECONDS ran out. */
export interface ShutdownReport {
  cutRequests: number;
}

/**
 * A started service; `close()` stops accepting, lets in-flight requests (and the provider calls
 * they started) finish within the grace, then closes sockets, Redis, sandbox and database.
 */
export interface RunningService {
  readonly url: string;
  readonly port: number;
  readonly sandbox?: RunningSandbox;
  readonly orm: Orm;
  /** The connections the hot reads use (SQLite: read-only ones beside the writer; otherwise the ORM's). */
  readonly reads: ReadPool;
  readonly services: AppServices;
  /** The METRICS_PORT server's port, when METRICS_PORT is set. */
  readonly metricsPort?: number;
  close(): Promise<ShutdownReport>;
}

export interface StartOptions {
  logger?: Logger;
  /** Test hook: overrides for the in-process sandbox (fast webhook retries, port 0). */
  sandbox?: Partial<SandboxOptions>;
  /** Test hook: webhook inbox tuning (fast retries, short claim leases). */
  inbox?: Partial<InboxOptions>;
  /** Test hook: how outbound webhook hosts resolve (stands in for DNS). */
  outboundResolve?: Resolve;
}

/** Opens the database (migrating it), seeds the demo catalog, starts the sandbox if needed, and serves. */
export async function startService(config: AppConfig, options: StartOptions = {}): Promise<RunningService> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const orm = await openDatabase(config.database, { poolSize: config.databasePoolSize });
  traceQueries((orm.em.getConnection() as AbstractSqlConnection).getKnex(), config.database.kind);
  const reads = openReadPool(config.database, orm);
  if (reads.knex !== (orm.em.getConnection() as AbstractSqlConnection).getKnex()) traceQueries(reads.knex, config.database.kind);
  const sandbox = config.sandbox.enabled ? await startSandbox(inProcessSandboxOptions(config, options.sandbox)) : undefined;
  let relay: RedisRelay | undefined;
  let inbox: AppServices['webhooks'] | undefined;
  let outbox: AppServices['outbox'] | undefined;
  let outboundWorker: AppServices['outboundWebhooks']['worker'] | undefined;
  let closeMetrics = async (): Promise<void> => {};
  let reconciliation: AppServices['reconciliation'] | undefined;
  try {
    relay = config.redis ? await connectRedisRelay(config.redis, logger) : undefined;
    const pubSub = createAppPubSub(relay);
    const providers = createProviders(config, sandbox?.url);
    let listeningUrl = '';
    const services = createServices(config, orm.em, pubSub, logger, providers, () => listeningUrl, options.inbox, () => reads.knex, { resolve: options.outboundResolve });
    await services.catalog.seedDemoProducts();
    await services.webhooks.start();
    inbox = services.webhooks;
    services.outbox.start();
    outbox = services.outbox;
    services.outboundWebhooks.worker.start();
    outboundWorker = services.outboundWebhooks.worker;
    services.reconciliation.start();
    reconciliation = services.reconciliation;
    const schema = buildAppSchema(pubSub);
    const httpServer = createServer();
    const metrics = await startMetricsEndpoint(config, orm);
    closeMetrics = metrics.close;
    const budget = new ClientBudget(config.limits.requestsPerMinute);
    const inFlight = new InFlight();
    const subscriptions = attachSubscriptions(httpServer, schema, services, budget);
    const apollo = createApollo(schema, httpServer, services, budget, () => subscriptions.close());
    await apollo.start();
    const app = createExpressApp(apollo, services, orm, [
      ...metrics.mounts,
      // Offline GraphiQL replaces Apollo's CDN-hosted landing page, outside production only.
      ...(config.env === 'production' ? [] : [{ path: '/', router: graphiqlRoutes(config.adminApiKey) }]),
      { path: '/webhooks', router: webhookRoutes(services) },
      ...(config.storefront ? [{ path: '/', router: storefrontRoutes() }] : []),
    ], { budget, inFlight });
    const ingest = webhookIngest(services, inFlight, securityHeaderOptions(config.env === 'production'));
    httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!ingest(req, res)) void app(req, res);
    });
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
      metricsPort: metrics.port,
      close: async () => {
        inFlight.beginShutdown();
        await apollo.stop();
        budget.shutdown();
        await services.reconciliation.stop();
        await services.webhooks.stop();
        await services.outbox.stop();
        await services.outboundWebhooks.worker.stop();
        await closeMetrics();
        await pubSub.close();
        await sandbox?.close();
        await reads.close();
        await orm.close();
        return { cutRequests: inFlight.cut };
      },
    };
  } catch (error) {
    await reconciliation?.stop();
    await inbox?.stop();
    await outbox?.stop();
    await outboundWorker?.stop();
    await closeMetrics();
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
