import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class CapturePaymentInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => Int, { nullable: true, description: 'Minor units, 1 up to the authorized amount (PayPal, after a capture that was not final: up to what is left); omitted = all of it. Less releases the rest unless finalCapture is false.' })
  amount?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'PayPal only (default true): false captures `amount` and keeps the rest of the authorization capturable by further capturePayment calls, until a final one (or one that takes all that is left). Stripe captures once: false is refused.',
  })
  finalCapture?: boolean | null;
}
