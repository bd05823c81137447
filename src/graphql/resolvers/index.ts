import { CaptureResolver } from './capture.resolver';
import { OrderResolver } from './order.resolver';
import { OutboundWebhookResolver } from './outbound-webhook.resolver';
import { PayPalPaymentResolver } from './paypal-payment.resolver';
import { ProductResolver } from './product.resolver';
import { ReconcileResolver } from './reconcile.resolver';
import { RefundResolver } from './refund.resolver';
import { StripePaymentResolver } from './stripe-payment.resolver';
import { OrderStatusEventResolver } from './subscription.resolver';
import { WebhookEventResolver } from './webhook-event.resolver';

/** Every resolver class; the schema is built from exactly these. */
export const RESOLVERS = [
  ProductResolver,
  OrderResolver,
  RefundResolver,
  CaptureResolver,
  StripePaymentResolver,
  PayPalPaymentResolver,
  OrderStatusEventResolver,
  WebhookEventResolver,
  ReconcileResolver,
  OutboundWebhookResolver,
] as const;
