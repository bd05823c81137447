import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class RefundOrderInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => Int, { nullable: true, description: 'Minor units; omitted = everything left.' })
  amount?: number | null;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}
