import { DateTimeType, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

/**
 * One message for one endpoint: queued by the outbox dispatcher, sent by the delivery worker until
 * DELIVERED or, after the retry window, FAILED. `messageId` is the `webhook-id` header, the same
 * on every retry and redelivery so the merchant can drop repeats.
 */
@Entity({ tableName: 'webhook_deliveries' })
@Index({ properties: ['status', 'nextAttemptAt'] })
@Index({ properties: ['endpoint', 'createdAt'] })
export class WebhookDeliveryEntity {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @ManyToOne(() => WebhookEndpointEntity, { deleteRule: 'cascade' })
  endpoint!: WebhookEndpointEntity;

  @Property({ type: 'string', length: 100 })
  messageId!: string;

  @Property({ type: 'string', length: 100 })
  eventType!: string;

  @Property({ type: 'string', length: 36 })
  orderId!: string;

  @Property({ type: 'integer' })
  eventSequence!: number;

  @Property({ type: 'text' })
  payload!: string;

  /** PENDING, DELIVERED, FAILED. */
  @Property({ type: 'string', length: 20 })
  status!: string;

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: DateTimeType, nullable: true })
  nextAttemptAt?: Date | null;

  @Property({ type: 'integer', nullable: true })
  lastStatusCode?: number | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: DateTimeType })
  createdAt!: Date;

  @Property({ type: DateTimeType, nullable: true })
  deliveredAt?: Date | null;

  @Property({ type: 'string', length: 64, nullable: true })
  claimedBy?: string | null;

  @Property({ type: DateTimeType, nullable: true })
  claimedUntil?: Date | null;
}
