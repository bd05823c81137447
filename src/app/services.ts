import type { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../config/config';
import { AuthorizationService } from '../domain/services/authorization.service';
import { CatalogService } from '../domain/services/catalog.service';
import { OrderService } from '../domain/services/order.service';
import { PaymentReconciler } from '../domain/services/payment-reconciler';
import { PayPalPaymentService } from '../domain/services/paypal-payment.service';
import { RefundService } from '../domain/services/refund.service';
import { StripePaymentService } from '../domain/services/stripe-payment.service';
import { DEFAULT_INBOX_OPTIONS, WebhookInboxService, type InboxOptions } from '../domain/services/webhook-inbox.service';
import type { AppProviders } from '../providers/create-providers';
import type { Logger } from '../logging/logger';
import { pubSubSink, type AppPubSub } from '../graphql/pubsub';

/** The service graph, built once per running instance and handed to resolvers and routes. */
export interface AppServices {
  config: AppConfig;
  logger: Logger;
  pubSub: AppPubSub;
  authz: AuthorizationService;
  catalog: CatalogService;
  orders: OrderService;
  providers: AppProviders;
  refunds: RefundService;
  stripePayments: StripePaymentService;
  paypalPayments: PayPalPaymentService;
  webhooks: WebhookInboxService;
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
): AppServices {
  const sink = pubSubSink(pubSub);
  const reconciler = new PaymentReconciler();
  const orders = new OrderService(em, sink);
  const stripePayments = new StripePaymentService(em, sink, providers, reconciler, orders, {
    redirects: config.redirects,
    publicUrl: () => config.publicUrl ?? listeningUrl(),
  });
  return {
    config,
    logger,
    pubSub,
    authz: new AuthorizationService(em, config.adminApiKey),
    catalog: new CatalogService(em),
    orders,
    providers,
    refunds: new RefundService(em, sink, providers, reconciler),
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
  };
}
