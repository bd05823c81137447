import { DateTimeType, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { WebhookDeliveryEntity } from './webhook-delivery.entity';

/** One HTTP attempt of an outbound delivery: what the endpoint answered (or why nothing came back). */
@Entity({ tableName: 'webhook_delivery_attempts' })
export class WebhookDeliveryAttemptEntity {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Index()
  @ManyToOne(() => WebhookDeliveryEntity, { deleteRule: 'cascade' })
  delivery!: WebhookDeliveryEntity;

  @Property({ type: DateTimeType })
  attemptedAt!: Date;

  @Property({ type: 'integer', nullable: true })
  statusCode?: number | null;

  @Property({ type: 'integer' })
  durationMs!: number;

  @Property({ type: 'text', nullable: true })
  error?: string | null;

  /** The first 1 KiB of the answer. */
  @Property({ type: 'text', nullable: true })
  responseBody?: string | null;
}
