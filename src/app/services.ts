import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';
import { OrderReader } from '../db/order-reader';
import { WriteTransactions } from '../db/write-transactions';
import { AccessTokenCache } from '../domain/services/access-token-cache';
import type { AppConfig } from '../config/config';
import { AuthorizationService } from '../domain/services/authorization.service';
import { CatalogService } from '../domain/services/catalog.service';
import { IDEMPOTENCY_LEASE_MS, IdempotencyService } from '../domain/services/idempotency.service';
import { OrderService, type OrderStore } from '../domain/services/order.service';
import { LatePayments } from '../domain/services/late-payments';
import { PaymentReconciler } from '../domain/services/payment-reconciler';
import { PayPalPaymentService } from '../domain/services/paypal-payment.service';
import { ReconciliationService } from '../domain/services/reconciliation/reconciliation.service';
import { RefundService } from '../domain/services/refund.service';
import { CaptureService } from '../domain/services/capture.service';
import { StripePaymentService } from '../domain/services/stripe-payment.service';
import { DEFAULT_INBOX_OPTIONS, WebhookInboxService, type InboxOptions } from '../domain/services/webhook-inbox.service';
import type { AppProviders } from '../providers/create-providers';
import type { Logger } from '../logging/logger';
import type { AppPubSub } from '../graphql/pubsub';
import type { OutboxDispatcher } from '../outbox/outbox.dispatcher';
import { createOutbox } from './outbox-wiring';
import { createOutboundWebhooks } from './outbound-wiring';
import type { Resolve } from '../outbound-webhooks/http-sender';
import type { OutboundWebhooksService } from '../outbound-webhooks/outbound-webhooks.service';

/** The service graph, built once per running instance and handed to resolvers and routes. */
export interface AppServices {
  config: AppConfig;
  logger: Logger;
  pubSub: AppPubSub;
  authz: AuthorizationService;
  catalog: CatalogService;
  orders: OrderService;
  /** Plain-SQL reads and grouped writes of orders (the hot paths). */
  orderStore: OrderStore;
  providers: AppProviders;
  refunds: RefundService;
  captures: CaptureService;
  stripePayments: StripePaymentService;
  paypalPayments: PayPalPaymentService;
  webhooks: WebhookInboxService;
  idempotency: IdempotencyService;
  reconciliation: ReconciliationService;
  /** Publishes committed changes from the transactional outbox (src/outbox); started and stopped with the service. */
  outbox: OutboxDispatcher;
  /** Merchant endpoints and signed deliveries of every outbox change (src/outbound-webhooks). */
  outboundWebhooks: OutboundWebhooksService;
}

/**
 * `listeningUrl` is read when a default return URL is needed: it is known only once the
 * server listens (the port may be 0), and PUBLIC_URL wins when set.
 */
export function createServices(
  config: AppConfig,
  em: EntityManager,
  pubSub: AppPubSub,
  logger: Logger,
  providers: AppProviders,
  listeningUrl: () => string,
  /** Test and benchmark hook: inbox tuning (fast retries, short leases). */
  inbox: Partial<InboxOptions> = {},
  /** Where plain-SQL reads go: SQLite files read on their own read-only connections beside the writer. */
  readKnex: () => Knex = () => (em.getConnection() as AbstractSqlConnection).getKnex(),
  /** Test hook: how outbound webhook hosts are resolved (DNS by default). */
  hooks: { resolve?: Resolve } = {},
): AppServices {

  const latePayments = new LatePayments(logger);
  const reconciler = new PaymentReconciler(latePayments);
  const knex = () => (em.getConnection() as AbstractSqlConnection).getKnex();
  const dialect = config.database.kind;
  const orderStore: OrderStore = {
    reader: new OrderReader(readKnex, dialect),
    // Concurrent new orders share commits on both databases: one multi-row insert per table and one commit per group.
    writes: new WriteTransactions(knex),
    dialect,
    tokens: new AccessTokenCache(),
  };
  const outboundWebhooks = createOutboundWebhooks(config, em, orderStore.reader, logger, hooks.resolve);
  // Every commit wakes the outbox dispatcher; it publishes, then queues the outbound deliveries.
  const outbox = createOutbox(em, config.database.kind, pubSub, logger, {
    enqueue: (trx, changes) => outboundWebhooks.enqueue(trx, changes),
    afterEnqueue: () => outboundWebhooks.afterEnqueue(),
  });
  const sink = outbox.sink;
  // cancelOrder closes open Stripe attempts at Stripe first (payment-claim.ts).
  const orders: OrderService = new OrderService(em, sink, orderStore, (orderId: string, source: string): Promise<void> => stripePayments.closeOpenAttempts(orderId, source));
  const refunds = new RefundService(em, sink, providers, reconciler);
  latePayments.useSender(refunds);
  const stripePayments: StripePaymentService = new StripePaymentService(em, sink, providers, reconciler, orders, {
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
    captures: new CaptureService(em, sink, providers, reconciler, orders),
    stripePayments,
    paypalPayments: new PayPalPaymentService(em, sink, providers, reconciler, orders, config.redirects, (orderId, source) =>
      stripePayments.closeOpenAttempts(orderId, source),
    ),
    webhooks: new WebhookInboxService(
      em,
      sink,
      providers,
      reconciler,
      logger,
      { ...DEFAULT_INBOX_OPTIONS, maxAttempts: config.webhooks.maxAttempts, payloadRetentionDays: config.webhooks.payloadRetentionDays, ...inbox },
      config.database.kind,
    ),
    idempotency: new IdempotencyService(em, { ttlMs: config.idempotency.ttlMs, leaseMs: IDEMPOTENCY_LEASE_MS }),
    reconciliation: new ReconciliationService(em, sink, providers, reconciler, logger, config.reconcile, config.database.kind),
    outbox: outbox.dispatcher,
    outboundWebhooks,
  };
}
