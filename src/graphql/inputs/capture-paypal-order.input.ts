import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CapturePayPalOrderInput {
  @Field(() => ID)
  orderId!: string;
}
