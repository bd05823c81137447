import { Field, ID, InputType } from 'type-graphql';
import { CaptureMethod } from '../types/enums';

@InputType()
export class CreatePayPalOrderInput {
  @Field(() => ID)
  orderId!: string;

  @Field({ description: 'Where PayPal sends the buyer after approving (with ?token=<PayPal order id>&PayerID=…); then call capturePayPalOrder. https:// (http://localhost only in sandbox/development).' })
  returnUrl!: string;

  @Field({ description: 'Where PayPal sends the buyer who cancels; the order stays payable.' })
  cancelUrl!: string;

  @Field(() => CaptureMethod, { nullable: true, description: 'MANUAL: PayPal intent AUTHORIZE; capturePayPalOrder then authorizes only (order AUTHORIZED), capturePayment takes the money. Default AUTOMATIC.' })
  captureMethod?: CaptureMethod | null;
}
