import { Field, ID, Int, ObjectType } from 'type-graphql';
import { RefundStatus } from './enums';

@ObjectType({ description: 'A refund of part or all of a payment.', simpleResolvers: true })
export class Refund {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => ID)
  paymentId!: string;

  @Field(() => Int)
  amount!: number;

  @Field()
  currency!: string;

  @Field(() => RefundStatus)
  status!: RefundStatus;

  @Field(() => String, { nullable: true, description: "The provider's refund id (re_… or PayPal's)." })
  providerRefundId?: string | null;

  @Field(() => String, { nullable: true })
  reason?: string | null;

  @Field(() => String, { nullable: true })
  failureMessage?: string | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}
