import { Field, Int, ObjectType } from 'type-graphql';
import { OrderStatus } from './enums';

@ObjectType({ description: "An entry of the order's append-only log.", simpleResolvers: true })
export class OrderEvent {
  @Field(() => Int, { description: 'Increasing across all orders; orders the log.' })
  sequence!: number;

  @Field({ description: 'STATUS_CHANGED, ORDER_CREATED, PAYMENT_STARTED, REFUND_REQUESTED, EVENT_IGNORED, …' })
  type!: string;

  @Field(() => OrderStatus, { nullable: true })
  fromStatus?: OrderStatus | null;

  @Field(() => OrderStatus, { nullable: true })
  toStatus?: OrderStatus | null;

  @Field({ description: 'What caused it: mutation:<name>, stripe:<event id>, paypal:<event id>.' })
  source!: string;

  @Field(() => String, { nullable: true })
  message?: string | null;

  @Field()
  at!: Date;
}
