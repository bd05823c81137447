import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { RefundOrderInput } from '../inputs/refund-order.input';
import { toRefund } from '../order.mapper';
import { Refund } from '../types/refund.type';

@Resolver()
export class RefundResolver {
  @Mutation(() => Refund, { description: 'Admin only. Full or partial; never more than is left.' })
  async refundOrder(@Arg('input', () => RefundOrderInput) input: RefundOrderInput, @Ctx() ctx: GraphQLContext): Promise<Refund> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    return toRefund(await ctx.services.refunds.refundOrder(input));
  }
}
