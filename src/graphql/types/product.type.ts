import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A catalog product. Prices are set by the server only.', simpleResolvers: true })
export class Product {
  @Field()
  sku!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Int, { description: "Price in the currency's minor unit (cents, yen, fils)." })
  unitAmount!: number;

  @Field({ description: 'ISO-4217, upper case.' })
  currency!: string;
}
