import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class CapturePaymentInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => Int, { nullable: true, description: 'Minor units, 1 up to the authorized amount; omitted = all of it. Less releases the rest.' })
  amount?: number | null;
}
