import { Field, ObjectType } from 'type-graphql';
import { Order } from './order.type';

@ObjectType({ description: 'A PayPal order awaiting approval: send the buyer to `approveUrl`, then call capturePayPalOrder.', simpleResolvers: true })
export class PayPalOrder {
  @Field({ description: "PayPal's order id (the `token` on the return URL)." })
  paypalOrderId!: string;

  @Field({ description: "PayPal's approval page for the buyer." })
  approveUrl!: string;

  @Field(() => Order)
  order!: Order;
}
