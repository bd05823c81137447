import { Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { toProduct } from '../order.mapper';
import { Product } from '../types/product.type';

@Resolver()
export class ProductResolver {
  @Query(() => [Product], { description: 'The active catalog. Public.' })
  async products(@Ctx() ctx: GraphQLContext): Promise<Product[]> {
    return (await ctx.services.catalog.listActive()).map(toProduct);
  }
}
