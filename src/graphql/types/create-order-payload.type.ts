import { Field, ObjectType } from 'type-graphql';
import { Order } from './order.type';

@ObjectType({ simpleResolvers: true })
export class CreateOrderPayload {
  @Field(() => Order)
  order!: Order;

  @Field({ description: 'Bearer token for this order only. Shown once; store it client-side.' })
  accessToken!: string;
}
