import { Field, ObjectType } from 'type-graphql';
import { Order } from './order.type';

@ObjectType({ description: 'The result of charging a card token; a decline is a PROVIDER_ERROR instead.', simpleResolvers: true })
export class ChargeResult {
  @Field(() => Order)
  order!: Order;

  @Field(() => String, { nullable: true, description: 'ch_… once the card was charged.' })
  chargeId?: string | null;

  @Field({ description: 'True when the customer must complete 3-D Secure at `nextActionUrl`.' })
  requiresAction!: boolean;

  @Field(() => String, { nullable: true, description: "The PaymentIntent's client secret, for Stripe.js handleNextAction." })
  clientSecret?: string | null;

  @Field(() => String, { nullable: true, description: 'The 3-D Secure page to send the customer to.' })
  nextActionUrl?: string | null;
}
