import { randomUUID } from 'node:crypto';
import { DateTimeType, OptionalProps, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { RefundStatus } from '../../model/payment-types';
import { OrderEntity } from './order.entity';
import { PaymentEntity } from './payment.entity';

/** A refund against one payment; PENDING reserves its amount until the provider answers. */
@Entity({ tableName: 'refunds' })
export class RefundEntity {
  [OptionalProps]?: 'id' | 'status' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Index()
  @ManyToOne(() => OrderEntity, { deleteRule: 'cascade' })
  order!: OrderEntity;

  @Index()
  @ManyToOne(() => PaymentEntity)
  payment!: PaymentEntity;

  @Property({ type: 'integer' })
  amount!: number;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Enum({ items: () => RefundStatus, type: 'string' })
  status: RefundStatus = RefundStatus.PENDING;

  @Property({ type: 'string', length: 255, nullable: true })
  @Index()
  providerRefundId?: string | null;

  /**
   * The capture (PayPal) or charge this refund goes against, when the payment has several (a PayPal
   * authorization captured in parts); null = the payment's own `providerChargeId`.
   */
  @Property({ type: 'string', length: 255, nullable: true })
  providerChargeId?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  reason?: string | null;

  @Property({ type: 'text', nullable: true })
  failureMessage?: string | null;

  /** Since when the provider call for this PENDING refund has gone unanswered (timeout, 5xx): a retry re-sends it with its key. */
  @Property({ type: DateTimeType, nullable: true })
  outcomeUnknownSince?: Date | null;

  /** When the provider status sync last asked the provider about this one (written by the sync only). */
  @Property({ type: DateTimeType, nullable: true })
  reconciledAt?: Date | null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  @Property({ type: DateTimeType, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
