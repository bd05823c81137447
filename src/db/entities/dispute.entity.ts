import { randomUUID } from 'node:crypto';
import { DateTimeType, OptionalProps, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { DisputeStatus } from '../../model/dispute-status';
import { PaymentProvider } from '../../model/payment-types';
import { OrderEntity } from './order.entity';
import { PaymentEntity } from './payment.entity';

/** One provider dispute (chargeback, inquiry, PayPal case) against a captured payment: a forward-only fact. */
@Entity({ tableName: 'disputes' })
@Unique({ properties: ['provider', 'providerDisputeId'] })
export class DisputeEntity {
  [OptionalProps]?: 'id' | 'status' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = randomUUID();

  @Index()
  @ManyToOne(() => OrderEntity, { deleteRule: 'cascade' })
  order!: OrderEntity;

  @Index()
  @ManyToOne(() => PaymentEntity)
  payment!: PaymentEntity;

  @Enum({ items: () => PaymentProvider, type: 'string' })
  provider!: PaymentProvider;

  /** Stripe `dp_…` or PayPal `PP-D-…`. */
  @Property({ type: 'string', length: 255 })
  providerDisputeId!: string;

  @Enum({ items: () => DisputeStatus, type: 'string' })
  @Index()
  status: DisputeStatus = DisputeStatus.OPEN;

  /** The provider's reason code (`fraudulent`, `MERCHANDISE_OR_SERVICE_NOT_RECEIVED`, …). */
  @Property({ type: 'string', length: 255, nullable: true })
  reason?: string | null;

  /** Disputed amount in minor units, when the provider said. */
  @Property({ type: 'integer', nullable: true })
  amount?: number | null;

  @Property({ type: 'string', length: 3, nullable: true })
  currency?: string | null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  @Property({ type: DateTimeType, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
