import { randomUUID } from 'node:crypto';
import { DateTimeType, OptionalProps, Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** The webhook inbox: every verified provider event, stored once per (provider, eventId). */
@Entity({ tableName: 'webhook_events' })
@Unique({ properties: ['provider', 'eventId'] })
export class WebhookEventEntity {
  [OptionalProps]?: 'id' | 'receivedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Property({ type: 'string', length: 20 })
  provider!: string;

  @Property({ type: 'string', length: 255 })
  eventId!: string;

  @Property({ type: 'string', length: 100 })
  type!: string;

  /** The raw verified body, kept for audit and replays. */
  @Property({ type: 'text' })
  payload!: string;

  /** What applying it did: APPLIED, IGNORED (unknown type/object), or a short reason. */
  @Property({ type: 'string', length: 255 })
  outcome!: string;

  @Property({ type: 'string', length: 36, nullable: true })
  orderId?: string | null;

  @Property({ type: DateTimeType })
  receivedAt: Date = new Date();
}
