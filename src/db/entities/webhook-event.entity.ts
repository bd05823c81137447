import { randomUUID } from 'node:crypto';
import { DateTimeType, OptionalProps, Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { WebhookEventStatus } from '../../model/webhook-event-status';

/**
 * The webhook inbox: every verified provider event, stored once per (provider, eventId) before it
 * is acknowledged, then applied by the inbox worker. Written on the hot path with raw multi-row
 * inserts (see webhook-inbox.store.ts); the entity serves reads and migrations.
 */
@Entity({ tableName: 'webhook_events' })
@Unique({ properties: ['provider', 'eventId'] })
@Index({ properties: ['status', 'nextAttemptAt', 'seq'] })
export class WebhookEventEntity {
  [OptionalProps]?: 'id' | 'receivedAt' | 'status' | 'attempts';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  /** Receipt order: the applier drains the inbox by it. */
  @Property({ type: 'integer', unique: true, autoincrement: true })
  seq!: number;

  @Property({ type: 'string', length: 20 })
  provider!: string;

  @Property({ type: 'string', length: 255 })
  eventId!: string;

  @Property({ type: 'string', length: 100 })
  type!: string;

  /** The raw verified body, kept for replays until WEBHOOK_PAYLOAD_RETENTION_DAYS; null once dropped. */
  @Property({ type: 'text', nullable: true })
  payload?: string | null;

  @Enum({ items: () => WebhookEventStatus })
  status: WebhookEventStatus = WebhookEventStatus.RECEIVED;

  /** What applying it did: APPLIED, IGNORED with the reason, or a short description. */
  @Property({ type: 'string', length: 255 })
  outcome!: string;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: DateTimeType, nullable: true })
  nextAttemptAt?: Date | null;

  @Index()
  @Property({ type: 'string', length: 36, nullable: true })
  orderId?: string | null;

  @Property({ type: DateTimeType })
  receivedAt: Date = new Date();

  @Property({ type: DateTimeType, nullable: true })
  appliedAt?: Date | null;

  /** The instance that claimed the event (PostgreSQL, several instances) and until when. */
  @Property({ type: 'string', length: 64, nullable: true })
  claimedBy?: string | null;

  @Property({ type: DateTimeType, nullable: true })
  claimedUntil?: Date | null;
}
