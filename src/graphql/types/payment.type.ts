import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PaymentMethod, PaymentProvider, PaymentStatus } from './enums';
import { PaymentCapture } from './payment-capture.type';

@ObjectType({ description: 'One payment attempt at a provider.', simpleResolvers: true })
export class Payment {
  @Field(() => ID)
  id!: string;

  @Field(() => PaymentProvider)
  provider!: PaymentProvider;

  @Field(() => PaymentMethod)
  method!: PaymentMethod;

  @Field(() => PaymentStatus)
  status!: PaymentStatus;

  @Field(() => Int)
  amount!: number;

  @Field()
  currency!: string;

  @Field(() => String, { nullable: true, description: 'Stripe Checkout Session id (cs_…).' })
  providerSessionId?: string | null;

  @Field(() => String, { nullable: true, description: 'Stripe PaymentIntent id (pi_…) or PayPal order id.' })
  providerPaymentId?: string | null;

  @Field(() => String, { nullable: true, description: 'Stripe charge id (ch_…) or PayPal capture id; refunds go against it.' })
  providerChargeId?: string | null;

  @Field(() => String, { nullable: true, description: "The provider's failure code, e.g. card_declined, INSTRUMENT_DECLINED." })
  failureCode?: string | null;

  @Field(() => String, { nullable: true })
  failureMessage?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Set when this payment succeeded on an order that could no longer take it (canceled, already paid): why; it is refunded automatically and does not count towards the order.',
  })
  autoRefundReason?: string | null;

  @Field(() => Int, { description: 'What an admin can still capture (capturePayment): the authorized amount while AUTHORIZED, the rest of a PayPal authorization captured in part (finalCapture false), else 0.' })
  amountCapturable!: number;

  @Field(() => [PaymentCapture], { description: 'PayPal manual capture: every capture of the authorization, oldest first; empty otherwise.' })
  captures!: PaymentCapture[];

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}
