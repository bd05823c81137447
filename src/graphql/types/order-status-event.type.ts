import { Field, ID, ObjectType } from 'type-graphql';
import { OrderStatus } from './enums';
import { Order } from './order.type';

@ObjectType({ description: 'A committed status change of one order.', simpleResolvers: true })
export class OrderStatusEvent {
  @Field(() => ID)
  orderId!: string;

  @Field(() => OrderStatus)
  status!: OrderStatus;

  @Field(() => OrderStatus, { nullable: true })
  previousStatus?: OrderStatus | null;

  @Field()
  source!: string;

  @Field()
  at!: Date;

  @Field(() => Order, { description: 'The order as it is when the event is delivered.' })
  order!: Order;
}
