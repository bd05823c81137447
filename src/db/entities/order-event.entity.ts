import { DateTimeType, OptionalProps, Entity, Index, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { OrderStatus } from '../../model/order-status';
import { OrderEntity } from './order.entity';

/** Append-only log entry: one status change (or a notable no-change fact) with its source. */
@Entity({ tableName: 'order_events' })
export class OrderEventEntity {
  [OptionalProps]?: 'sequence' | 'at';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  sequence!: number;

  @Index()
  @ManyToOne(() => OrderEntity, { deleteRule: 'cascade' })
  order!: OrderEntity;

  /** e.g. STATUS_CHANGED, PAYMENT_STARTED, REFUND_REQUESTED, EVENT_IGNORED. */
  @Property({ type: 'string', length: 50 })
  type!: string;

  @Enum({ items: () => OrderStatus, type: 'string', nullable: true })
  fromStatus?: OrderStatus | null;

  @Enum({ items: () => OrderStatus, type: 'string', nullable: true })
  toStatus?: OrderStatus | null;

  /** Which mutation or provider event caused it: `mutation:cancelOrder`, `stripe:evt_…`. */
  @Property({ type: 'string', length: 255 })
  source!: string;

  @Property({ type: 'text', nullable: true })
  message?: string | null;

  @Property({ type: DateTimeType })
  at: Date = new Date();
}
