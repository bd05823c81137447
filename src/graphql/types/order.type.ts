import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Dispute } from './dispute.type';
import { OrderStatus } from './enums';
import { OrderEvent } from './order-event.type';
import { OrderItem } from './order-item.type';
import { Payment } from './payment.type';
import { Refund } from './refund.type';

@ObjectType({ simpleResolvers: true })
export class Order {
  @Field(() => ID)
  id!: string;

  @Field(() => OrderStatus)
  status!: OrderStatus;

  @Field()
  currency!: string;

  @Field(() => Int, { description: 'Total in minor units.' })
  amount!: number;

  @Field(() => Int, { description: 'Refunded so far (confirmed by the provider), in minor units.' })
  amountRefunded!: number;

  @Field(() => Int, { description: 'Captured from the customer so far, in minor units: less than `amount` after a partial capture, 0 while only AUTHORIZED.' })
  amountCaptured!: number;

  @Field(() => [OrderItem])
  items!: OrderItem[];

  @Field(() => String, { nullable: true })
  customerEmail?: string | null;

  @Field(() => [Payment])
  payments!: Payment[];

  @Field(() => [Refund])
  refunds!: Refund[];

  /** Loaded only when a query selects it: a simple field, so GraphQL's default resolver calls the function. */
  @Field(() => [Dispute], { simple: true, description: 'Disputes against its payments; DISPUTED while one is open or lost.' })
  disputes!: () => Promise<Dispute[]>;

  @Field(() => [OrderEvent])
  events!: OrderEvent[];

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}
