import { Field, ObjectType } from 'type-graphql';
import { Order } from './order.type';

@ObjectType({ description: 'A Stripe Checkout Session: send the customer to `url`; the order becomes PAID when Stripe confirms.', simpleResolvers: true })
export class CheckoutSession {
  @Field({ description: 'cs_…' })
  sessionId!: string;

  @Field({ description: 'The hosted payment page.' })
  url!: string;

  @Field(() => Order)
  order!: Order;
}
