import { Field, InputType, Int } from 'type-graphql';

@InputType()
export class OrderItemInput {
  @Field()
  sku!: string;

  @Field(() => Int)
  quantity!: number;
}

@InputType()
export class CreateOrderInput {
  @Field(() => [OrderItemInput])
  items!: OrderItemInput[];

  @Field(() => String, { nullable: true })
  customerEmail?: string | null;
}
