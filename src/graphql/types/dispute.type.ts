import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DisputeStatus, PaymentProvider } from './enums';

@ObjectType({ description: 'A dispute (chargeback, inquiry or PayPal case) the buyer opened against a payment.', simpleResolvers: true })
export class Dispute {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  paymentId!: string;

  @Field(() => PaymentProvider)
  provider!: PaymentProvider;

  @Field({ description: "The provider's dispute id (dp_… or PayPal's PP-D-…)." })
  providerDisputeId!: string;

  @Field(() => DisputeStatus)
  status!: DisputeStatus;

  @Field(() => String, { nullable: true, description: "The provider's reason code." })
  reason?: string | null;

  @Field(() => Int, { nullable: true, description: 'Disputed amount in minor units, when the provider said.' })
  amount?: number | null;

  @Field(() => String, { nullable: true })
  currency?: string | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}
