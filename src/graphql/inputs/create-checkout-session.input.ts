import { Field, ID, InputType } from 'type-graphql';
import { CaptureMethod } from '../types/enums';

@InputType()
export class CreateCheckoutSessionInput {
  @Field(() => ID)
  orderId!: string;

  @Field({ description: 'https:// (http://localhost only in sandbox/development). `{CHECKOUT_SESSION_ID}` is filled in by Stripe.' })
  successUrl!: string;

  @Field({ description: 'Where the customer lands after leaving the hosted page; the order stays PENDING until paid or expired.' })
  cancelUrl!: string;

  @Field(() => CaptureMethod, { nullable: true, description: 'MANUAL: the hosted page only authorizes (order AUTHORIZED); default AUTOMATIC.' })
  captureMethod?: CaptureMethod | null;
}
