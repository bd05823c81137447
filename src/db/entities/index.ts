import { DisputeEntity } from './dispute.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { OrderEventEntity } from './order-event.entity';
import { OutboxMessageEntity } from './outbox-message.entity';
import { WebhookDeliveryAttemptEntity } from './webhook-delivery-attempt.entity';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';
import { OrderItemEntity } from './order-item.entity';
import { OrderEntity } from './order.entity';
import { PaymentEntity } from './payment.entity';
import { ProductEntity } from './product.entity';
import { ReconcileLeaseEntity } from './reconcile-lease.entity';
import { RefundEntity } from './refund.entity';
import { WebhookEventEntity } from './webhook-event.entity';

export { DisputeEntity, OrderEventEntity, OrderItemEntity, OrderEntity, PaymentEntity, ProductEntity, RefundEntity, WebhookEventEntity };
export { IdempotencyKeyEntity, ReconcileLeaseEntity, OutboxMessageEntity, WebhookEndpointEntity, WebhookDeliveryEntity, WebhookDeliveryAttemptEntity };

/** Every entity, registered explicitly (no folder globbing, so dist/ and ts-jest agree). */
export const ALL_ENTITIES = [
  ProductEntity,
  OrderEntity,
  OrderItemEntity,
  PaymentEntity,
  RefundEntity,
  DisputeEntity,
  OrderEventEntity,
  WebhookEventEntity,
  IdempotencyKeyEntity,
  ReconcileLeaseEntity,
  OutboxMessageEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
];
