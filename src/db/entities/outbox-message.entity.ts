import { DateTimeType, Entity, Index, OneToOne, Property } from '@mikro-orm/core';
import { OrderEventEntity } from './order-event.entity';

/**
 * The transactional outbox: one row per order event that subscribers and merchant endpoints must
 * hear of, inserted in the transaction that made the change (src/outbox). Its key is the event's
 * `sequence`, so the change itself is read from the order's log, never copied. A dispatcher claims
 * rows after the commit (several instances: a lease, `FOR UPDATE SKIP LOCKED`), publishes them,
 * and deletes them in the transaction that queues their outbound deliveries: the table holds only
 * what is still to go out.
 */
@Entity({ tableName: 'outbox_messages' })
export class OutboxMessageEntity {
  @OneToOne({ entity: () => OrderEventEntity, primary: true, owner: true, fieldName: 'event_sequence', deleteRule: 'cascade' })
  event!: OrderEventEntity;

  /** Lets a claim skip an order whose earlier change another instance is still publishing (order per order). */
  @Index()
  @Property({ type: 'string', length: 36 })
  orderId!: string;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  @Property({ type: 'string', length: 64, nullable: true })
  claimedBy?: string | null;

  @Property({ type: DateTimeType, nullable: true })
  claimedUntil?: Date | null;
}
