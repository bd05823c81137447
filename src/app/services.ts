import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';
import { OrderReader } from '../db/order-reader';
import { WriteTransactions } from '../db/write-transactions';
import { AttemptStore } from '../db/attempt-store';
import { driverExecutorFor } from '../db/sql-executor';
import { AccessTokenCache } from '../domain/services/access-token-cache';
import type { AppConfig } from '../config/config';
import { AuthorizationService } from '../domain/services/authorization.service';
import { CatalogService } from '../domain/services/catalog.service';
import { IDEMPOTENCY_LEASE_MS, IdempotencyService } from '../domain/services/idempotency.service';
import { OrderService, type OrderStore } from '../domain/services/order.service';
import { LatePayments } from '../domain/services/late-payments';
import { PaymentAttempts } from '../domain/services/payment-attempts';
import { AttemptAnswers } from '../domain/services/attempt-answer';
import { factTables } from '../domain/services/detached-facts';
import { PaymentReconciler } from '../domain/services/payment-reconciler';
import { PayPalPaymentService } from '../domain/services/paypal-payment.service';
import { ReconciliationService } from '../domain/services/reconciliation/reconciliation.service';
import { RefundService } from '../domain/services/refund.service';
import { CaptureService } from '../domain/services/capture.service';
import { StripePaymentService } from '../domain/services/stripe-payment.service';
import { DEFAULT_INBOX_OPTIONS, WebhookInboxService, type InboxOptions, type InboxThreading, type InboxWiring } from '../domain/services/webhook-inbox.service';
import type { PaymentProviders } from '../domain/providers/provider-registry';
import type { Logger } from '../logging/logger';
import type { AppServices } from '../graphql/app-services';
import type { AppPubSub } from '../graphql/pubsub';
import { createOutbox } from './outbox-wiring';
import { createOutboundWebhooks } from './outbound-wiring';
import type { Resolve } from '../outbound-webhooks/http-sender';

/**
 * `listeningUrl` is read when a default return URL is needed: it is known only once the
 * server listens (the port may be 0), and PUBLIC_URL wins when set.
 */
export function createServices(
  config: AppConfig,
  em: EntityManager,
  pubSub: AppPubSub,
  logger: Logger,
  providers: PaymentProviders,
  listeningUrl: () => string,
  /** Test and benchmark hook: inbox tuning (fast retries, short leases). */
  inbox: Partial<InboxOptions> = {},
  /** Where plain-SQL reads go: SQLite files read on their own read-only connections beside the writer. */
  readKnex: () => Knex = () => (em.getConnection() as AbstractSqlConnection).getKnex(),
  /**
   * `resolve`: test hook, how outbound webhook hosts are resolved (DNS by default). On the inbox
   * worker's thread: `appending`, the serving thread's inbox, and `committed`, which tells that
   * thread's outbox dispatcher of each commit (this thread publishes nothing itself). SQLite:
   * `inboxKnex`, ingest's own connection to the inbox file; on the worker's thread,
   * `resultsToInbox`, which posts committed results to the serving thread to write there.
   */
  hooks: { resolve?: Resolve; appending?: InboxThreading; committed?: () => void; inboxKnex?: Knex; resultsToInbox?: InboxWiring['resultsToInbox'] } = {},
): AppServices {

  const latePayments = new LatePayments(logger);
  const reconciler = new PaymentReconciler(latePayments);
  const knex = () => (em.getConnection() as AbstractSqlConnection).getKnex();
  const dialect = config.database.kind;
  const orderStore: OrderStore = {
    reader: new OrderReader(readKnex, dialect),
    // Concurrent new orders share commits on both databases: one multi-row insert per table and one commit per group.
    writes: new WriteTransactions(knex, () => driverExecutorFor(knex(), dialect)),
    dialect,
    tokens: new AccessTokenCache(),
  };
  const outboundWebhooks = createOutboundWebhooks(config, em, orderStore.reader, logger, hooks.resolve);
  // Every commit wakes the outbox dispatcher; it publishes, then queues the outbound deliveries.
  const outbox = createOutbox(em, config.database.kind, pubSub, logger, {
    enqueue: (trx, changes) => outboundWebhooks.enqueue(trx, changes),
    afterEnqueue: () => outboundWebhooks.afterEnqueue(),
  }, {}, readKnex);
  const sink = hooks.committed ? { publish: hooks.committed } : outbox.sink;
  // Attempts are claimed and answered in plain SQL on the writer's driver; the answer through the reconciler on detached facts.
  const writer = () => driverExecutorFor(knex(), dialect);
  const answers = new AttemptAnswers(writer, factTables(knex(), em.getMetadata(), dialect), sink, reconciler, dialect === 'postgresql');
  const attempts = new PaymentAttempts(em, sink, providers, reconciler, new AttemptStore(readKnex, knex, dialect), answers);
  // cancelOrder closes open attempts at their providers first (payment-claim.ts).
  const orders = new OrderService(em, sink, orderStore, attempts);
  const refunds = new RefundService(em, sink, providers, attempts);
  latePayments.useSender(refunds);
  const stripePayments = new StripePaymentService(providers, attempts, orders, {
    redirects: config.redirects,
    publicUrl: () => config.publicUrl ?? listeningUrl(),
  });
  return {
    config,
    logger,
    pubSub,
    authz: new AuthorizationService(orderStore.reader, config.adminApiKey, orderStore.tokens),
    catalog: new CatalogService(em),
    orders,
    orderStore,
    providers,
    refunds,
    captures: new CaptureService(em, sink, providers, attempts, orders),
    stripePayments,
    paypalPayments: new PayPalPaymentService(em, sink, providers, attempts, orders, config.redirects),
    webhooks: new WebhookInboxService(
      em,
      sink,
      providers,
      reconciler,
      logger,
      { ...DEFAULT_INBOX_OPTIONS, maxAttempts: config.webhooks.maxAttempts, payloadRetentionDays: config.webhooks.payloadRetentionDays, ...inbox },
      config.database.kind,
      {
        readKnex: config.database.kind === 'sqlite' ? readKnex() : undefined,
        appendKnex: hooks.inboxKnex,
        appending: hooks.appending,
        resultsToInbox: hooks.resultsToInbox,
      },
    ),
    idempotency: new IdempotencyService(em, { ttlMs: config.idempotency.ttlMs, leaseMs: IDEMPOTENCY_LEASE_MS }),
    reconciliation: new ReconciliationService(em, sink, providers, reconciler, logger, config.reconcile, config.database.kind),
    outbox: outbox.dispatcher,
    outboundWebhooks,
  };
}
