import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { toOrder } from '../order.mapper';
import { Order } from '../types/order.type';

/** The provider status sync on demand (CONTRACT §2 `reconcileOrder`). Admin only. */
@Resolver()
export class ReconcileResolver {
  @Mutation(() => Order, {
    description: 'Admin only. Asks the providers now about the order\'s open and paid attempts and pending refunds, applies what they answer (source `reconcile:<provider object id>`), and returns the order.',
  })
  async reconcileOrder(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: GraphQLContext): Promise<Order> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    await ctx.services.reconciliation.reconcileOrder(orderId);
    return toOrder(await ctx.services.orders.getOrderOrFail(orderId), ctx.disputes);
  }
}
