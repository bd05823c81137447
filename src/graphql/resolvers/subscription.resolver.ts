import { Arg, Ctx, FieldResolver, ID, Resolver, Root, Subscription } from 'type-graphql';
import { NotFoundError } from '../../domain/errors';
import type { OrderStatusChange } from '../../domain/services/status-change';
import type { GraphQLContext } from '../context';
import { toOrderFromRecord } from '../order.mapper';
import { Topic } from '../pubsub';
import { OrderStatusEvent } from '../types/order-status-event.type';
import { Order } from '../types/order.type';

@Resolver(() => OrderStatusEvent)
export class OrderStatusEventResolver {
  @Subscription(() => OrderStatusEvent, {
    description: 'Order token (that order only) or admin, via connection params { authorization }.',
    subscribe: async ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const orderId = String(args.orderId);
      ctx.services.authz.requireOrderAccess(await ctx.principal(), orderId);
      if (!(await ctx.orders.load(orderId))) throw new NotFoundError('Order', orderId);
      return ctx.services.pubSub.subscribe(Topic.ORDER_STATUS_CHANGED, orderId);
    },
  })
  orderStatusChanged(@Arg('orderId', () => ID) _orderId: string, @Root() change: OrderStatusChange): Omit<OrderStatusEvent, 'order'> {
    return change;
  }

  @FieldResolver(() => Order)
  async order(@Root() change: OrderStatusChange, @Ctx() ctx: GraphQLContext): Promise<Order> {
    const order = await ctx.orders.load(change.orderId);
    if (!order) throw new NotFoundError('Order', change.orderId);
    return toOrderFromRecord(order, (id) => ctx.disputes.load(id));
  }
}
