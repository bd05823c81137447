import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { CreateOrderInput } from '../inputs/create-order.input';
import { toOrder } from '../order.mapper';
import { CreateOrderPayload } from '../types/create-order-payload.type';
import { OrderStatus } from '../types/enums';
import { OrderConnection } from '../types/order-connection.type';
import { Order } from '../types/order.type';
import { pageSizeForCost } from '../../domain/services/pagination';
import { toConnection } from '../connection';
import { selectsField } from '../selects-field';

@Resolver()
export class OrderResolver {
  @Query(() => Order, { nullable: true, description: "Order token (that order only) or admin." })
  async order(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<Order | null> {
    ctx.services.authz.requireOrderAccess(await ctx.principal(), id);
    // Its disputes, when shown, in the same statement as the order: one round trip, not two in turn.
    const order = await (selectsField(info, 'disputes') ? ctx.ordersWithDisputes : ctx.orders).load(id);
    return order && toOrder(order, ctx.disputes);
  }

  @Query(() => OrderConnection, {
    description: 'Admin only. Newest first.',
    complexity: ({ args, childComplexity }) => 1 + childComplexity * pageSizeForCost(args.first),
  })
  async orders(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 20.' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('status', () => OrderStatus, { nullable: true }) status?: OrderStatus,
  ): Promise<OrderConnection> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    const page = await ctx.services.orders.listOrders({ first, after, status });
    return toConnection(page, (node) => toOrder(node, ctx.disputes));
  }

  @Mutation(() => CreateOrderPayload, { description: 'Public. Prices come from the catalog; the access token is returned once.' })
  async createOrder(@Arg('input', () => CreateOrderInput) input: CreateOrderInput, @Ctx() ctx: GraphQLContext): Promise<CreateOrderPayload> {
    const { order, accessToken } = await ctx.services.orders.createOrder(input);
    return { order: toOrder(order, ctx.disputes), accessToken };
  }

  @Mutation(() => Order, { description: 'Order token or admin. Only before payment.' })
  async cancelOrder(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: GraphQLContext): Promise<Order> {
    ctx.services.authz.requireOrderAccess(await ctx.principal(), orderId);
    return toOrder(await ctx.services.orders.cancelOrder(orderId, 'mutation:cancelOrder'), ctx.disputes);
  }
}
