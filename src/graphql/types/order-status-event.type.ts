import { Field, ID, Int, ObjectType } from 'type-graphql';
import { OrderStatus } from './enums';
import { Order } from './order.type';

@ObjectType({ description: 'A committed status change of one order.', simpleResolvers: true })
export class OrderStatusEvent {
  @Field(() => ID)
  orderId!: string;

  @Field(() => Int, {
    nullable: true,
    description: "The change's place in the order's event log (OrderEvent.sequence): keep the last one seen and pass it as `afterSequence` when resubscribing; a repeat has a sequence already seen.",
  })
  sequence?: number | null;

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
