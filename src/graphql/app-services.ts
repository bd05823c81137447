import type { AppConfig } from '../config/config';
import type { PaymentProviders } from '../domain/providers/provider-registry';
import type { AuthorizationService } from '../domain/services/authorization.service';
import type { CaptureService } from '../domain/services/capture.service';
import type { CatalogService } from '../domain/services/catalog.service';
import type { IdempotencyService } from '../domain/services/idempotency.service';
import type { OrderService, OrderStore } from '../domain/services/order.service';
import type { PayPalPaymentService } from '../domain/services/paypal-payment.service';
import type { ReconciliationService } from '../domain/services/reconciliation/reconciliation.service';
import type { RefundService } from '../domain/services/refund.service';
import type { StripePaymentService } from '../domain/services/stripe-payment.service';
import type { WebhookInboxService } from '../domain/services/webhook-inbox.service';
import type { Logger } from '../logging/logger';
import type { OutboundWebhooksService } from '../outbound-webhooks/outbound-webhooks.service';
import type { OutboxDispatcher } from '../outbox/outbox.dispatcher';
import type { AppPubSub } from './pubsub';

/**
 * The service graph the API serves from: built once per running instance by the composition
 * root (app/services.ts) and handed to resolvers and routes.
 */
export interface AppServices {
  config: AppConfig;
  logger: Logger;
  pubSub: AppPubSub;
  authz: AuthorizationService;
  catalog: CatalogService;
  orders: OrderService;
  /** Plain-SQL reads and grouped writes of orders (the hot paths). */
  orderStore: OrderStore;
  providers: PaymentProviders;
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
