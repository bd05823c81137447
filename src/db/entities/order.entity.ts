import { randomUUID } from 'node:crypto';
import { DateTimeType, OptionalProps, Collection, Entity, Enum, Index, OneToMany, PrimaryKey, Property } from '@mikro-orm/core';
import { OrderStatus } from '../../model/order-status';
import { DisputeEntity } from './dispute.entity';
import { OrderEventEntity } from './order-event.entity';
import { OrderItemEntity } from './order-item.entity';
import { PaymentEntity } from './payment.entity';
import { RefundEntity } from './refund.entity';

/** An order: its items, payment attempts, refunds and append-only event log. */
@Entity({ tableName: 'orders' })
@Index({ properties: ['createdAt', 'id'] })
export class OrderEntity {
  [OptionalProps]?: 'id' | 'status' | 'amountRefunded' | 'amountCaptured' | 'version' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Enum({ items: () => OrderStatus, type: 'string' })
  @Index()
  status: OrderStatus = OrderStatus.CREATED;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  /** Total in minor units, computed from the catalog at creation. */
  @Property({ type: 'integer' })
  amount!: number;

  @Property({ type: 'integer' })
  amountRefunded: number = 0;

  /** Minor units a manual capture took from the authorization (0 until captured; automatic payments leave it 0). */
  @Property({ type: 'integer', default: 0 })
  amountCaptured: number = 0;

  @Property({ type: 'string', length: 320, nullable: true })
  customerEmail?: string | null;

  /** SHA-256 of the order access token; the token itself is never stored. */
  @Property({ type: 'string', length: 64, unique: true, hidden: true })
  accessTokenHash!: string;

  /** Optimistic lock: concurrent writers of one order cannot both win. */
  @Property({ type: 'integer', version: true })
  version!: number;

  /** Millisecond precision, as a JS Date and the (createdAt, id) cursor have: PostgreSQL would keep microseconds. */
  @Property({ type: DateTimeType, length: 3 })
  createdAt: Date = new Date();

  @Property({ type: DateTimeType, onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @OneToMany(() => OrderItemEntity, (item) => item.order, { orderBy: { position: 'asc' } })
  items = new Collection<OrderItemEntity>(this);

  @OneToMany(() => PaymentEntity, (payment) => payment.order, { orderBy: { createdAt: 'asc', id: 'asc' } })
  payments = new Collection<PaymentEntity>(this);

  @OneToMany(() => RefundEntity, (refund) => refund.order, { orderBy: { createdAt: 'asc', id: 'asc' } })
  refunds = new Collection<RefundEntity>(this);

  /** Provider disputes; load them (populate) before settling the order's status. */
  @OneToMany(() => DisputeEntity, (dispute) => dispute.order, { orderBy: { createdAt: 'asc', id: 'asc' } })
  disputes = new Collection<DisputeEntity>(this);

  @OneToMany(() => OrderEventEntity, (event) => event.order, { orderBy: { sequence: 'asc' } })
  events = new Collection<OrderEventEntity>(this);
}
