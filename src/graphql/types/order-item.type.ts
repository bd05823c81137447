import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One order line, priced from the catalog when the order was created.', simpleResolvers: true })
export class OrderItem {
  @Field()
  sku!: string;

  @Field()
  name!: string;

  @Field(() => Int)
  unitAmount!: number;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Int)
  lineAmount!: number;
}
