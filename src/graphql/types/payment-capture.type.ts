import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One capture of a PayPal authorization (PayPal takes several until a final one); refunds go per capture.', simpleResolvers: true })
export class PaymentCapture {
  @Field({ description: 'PayPal capture id.' })
  id!: string;

  @Field(() => Int, { description: 'Minor units.' })
  amount!: number;

  @Field({ description: 'PayPal final_capture: no further capture of the authorization follows.' })
  final!: boolean;
}
