import { CaptureMethod } from '../types/enums';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class ChargeWithTokenInput {
  @Field(() => ID)
  orderId!: string;

  @Field({ description: 'A Stripe card token (tok_…) or PaymentMethod id (pm_…).' })
  token!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Where 3-D Secure returns the customer; defaults to this service’s order page, PUBLIC_URL (or the service’s own address) + /order.html?id=<order id>, which shows the outcome. Same rules as successUrl.',
  })
  returnUrl?: string | null;

  @Field(() => CaptureMethod, { nullable: true, description: 'MANUAL authorizes only (order AUTHORIZED); default AUTOMATIC.' })
  captureMethod?: CaptureMethod | null;
}
