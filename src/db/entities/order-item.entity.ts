import { OptionalProps, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { OrderEntity } from './order.entity';

/** One order line, with the name and price copied from the catalog at order time. */
@Entity({ tableName: 'order_items' })
export class OrderItemEntity {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'integer', autoincrement: true })
  id!: number;

  @Index()
  @ManyToOne(() => OrderEntity, { deleteRule: 'cascade' })
  order!: OrderEntity;

  @Property({ type: 'integer' })
  position!: number;

  @Property({ type: 'string', length: 64 })
  sku!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'integer' })
  unitAmount!: number;

  @Property({ type: 'integer' })
  quantity!: number;

  @Property({ type: 'integer' })
  lineAmount!: number;
}
