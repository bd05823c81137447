import { DateTimeType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A merchant endpoint for outbound webhooks (src/outbound-webhooks). The signing secret is kept
 * to sign every delivery and shown once, when the endpoint is created. Read and written with
 * plain SQL; the entity serves migrations.
 */
@Entity({ tableName: 'webhook_endpoints' })
export class WebhookEndpointEntity {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 2048 })
  url!: string;

  /** JSON array of event types (`*` for all). */
  @Property({ type: 'text' })
  events!: string;

  /** `whsec_…` (Standard Webhooks). Never logged, never returned after creation. */
  @Property({ type: 'string', length: 100 })
  secret!: string;

  @Property({ type: DateTimeType })
  createdAt!: Date;

  /** Since when every attempt has failed; cleared by a success. */
  @Property({ type: DateTimeType, nullable: true })
  failingSince?: Date | null;

  @Property({ type: DateTimeType, nullable: true })
  disabledAt?: Date | null;

  @Property({ type: 'string', length: 255, nullable: true })
  disabledReason?: string | null;
}
