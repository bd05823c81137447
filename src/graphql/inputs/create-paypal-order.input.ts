import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreatePayPalOrderInput {
  @Field(() => ID)
  orderId!: string;

  @Field({ description: 'Where PayPal sends the buyer after approving (with ?token=<PayPal order id>&PayerID=…); then call capturePayPalOrder. https:// (http://localhost only in sandbox/development).' })
  returnUrl!: string;

  @Field({ description: 'Where PayPal sends the buyer who cancels; the order stays payable.' })
  cancelUrl!: string;
}
