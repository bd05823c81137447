import { inProcessSandboxOptions } from './sandbox-wiring';
import type { AppServices } from '../graphql/app-services';
import { serveApi } from '../http/server';
import { createServices } from './services';
import { applierThreadFor } from './applier-thread';
import type { AppConfig } from '../config/config';
import { openDatabase, type Orm } from '../db/orm';
import { openReadPool, type ReadPool } from '../db/read-pool';
import { openInboxWriter, type InboxWriter } from '../db/inbox-file';
import { createAppPubSub } from '../graphql/pubsub';
import { connectRedisRelay, type RedisRelay } from '../graphql/redis-relay';
import { buildAppSchema } from '../graphql/schema';
import { createLogger, type Logger } from '../logging/logger';
import { createProviders } from './providers';
import { startSandbox } from '../sandbox/core/sandbox.server';
import type { RunningSandbox, SandboxOptions } from '../sandbox/core/sandbox.types';
import type { InboxOptions } from '../domain/services/webhook-inbox.service';
import type { Resolve } from '../outbound-webhooks/http-sender';
import { isAdminBearer } from '../domain/services/access-token';
import { PENDING_WEBHOOK_STATUSES } from '../model/webhook-event-status';
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
  /** SQLite: ingest's own connection to the webhook inbox's file (src/db/inbox-file.ts). */
  readonly inboxWriter?: InboxWriter;
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
  const inboxWriter = config.database.kind === 'sqlite' ? openInboxWriter(config.database, (orm.em.getConnection() as AbstractSqlConnection).getKnex()) : undefined;
  if (inboxWriter && inboxWriter.knex !== (orm.em.getConnection() as AbstractSqlConnection).getKnex()) traceQueries(inboxWriter.knex, config.database.kind);
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
    const services = createServices(config, orm.em, pubSub, logger, providers, () => listeningUrl, options.inbox, () => reads.knex, { resolve: options.outboundResolve, inboxKnex: inboxWriter?.knex });
    await services.catalog.seedDemoProducts();
    const knex = (orm.em.getConnection() as AbstractSqlConnection).getKnex();
    const committed = () => services.outbox.wake();
    await services.webhooks.start(applierThreadFor(config, { knex, logger, committed, appending: services.webhooks.threading, writeResults: (results) => services.webhooks.writeResultsToInbox(results) }, { sandboxUrl: sandbox?.url, inbox: options.inbox ?? {} }));
    inbox = services.webhooks;
    services.outbox.start();
    outbox = services.outbox;
    services.outboundWebhooks.worker.start();
    outboundWorker = services.outboundWebhooks.worker;
    services.reconciliation.start();
    reconciliation = services.reconciliation;
    const schema = buildAppSchema(pubSub);
    const metrics = await startMetricsEndpoint(config, (orm.em.getConnection() as AbstractSqlConnection).getKnex(), {
      pendingWebhookStatuses: PENDING_WEBHOOK_STATUSES,
      isAdmin: (authorization) => isAdminBearer(authorization, config.adminApiKey),
    });
    closeMetrics = metrics.close;
    const api = await serveApi(services, orm, schema, metrics.mounts);
    const { url, port } = api;
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
      inboxWriter,
      services,
      metricsPort: metrics.port,
      close: async () => {
        await api.stop();
        await services.reconciliation.stop();
        await services.webhooks.stop();
        await services.outbox.stop();
        await services.outboundWebhooks.worker.stop();
        await closeMetrics();
        await pubSub.close();
        await sandbox?.close();
        await reads.close();
        await inboxWriter?.close();
        await orm.close();
        return { cutRequests: api.cutRequests() };
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
    await inboxWriter?.close();
    await orm.close();
    throw error;
  }
}
