import { Arg, Ctx, FieldResolver, ID, Int, Resolver, Root, Subscription } from 'type-graphql';
import { statusChangesAfter } from '../../db/order-change-log';
import { NotFoundError } from '../../domain/errors';
import type { OrderStatusChange } from '../../model/status-change';
import type { GraphQLContext } from '../context';
import { toOrder } from '../order.mapper';
import { resumableChanges } from '../resumable-changes';
import { OrderStatusEvent } from '../types/order-status-event.type';
import { Order } from '../types/order.type';

/**
 * Every subscriber of an order receives the very same published change object, so the order is
 * loaded once per change and shared, not once per subscriber (1 500 subscribers were 1 500 loads).
 */
const ordersByChange = new WeakMap<OrderStatusChange, Promise<Order>>();

@Resolver(() => OrderStatusEvent)
export class OrderStatusEventResolver {
  @Subscription(() => OrderStatusEvent, {
    description:
      'Order token (that order only) or admin, via connection params { authorization }. With `afterSequence`, first replays every status change after that sequence from the event log, in order, then streams live ones; changes carry `sequence`, and a repeat is never sent.',
    subscribe: async ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const orderId = String(args.orderId);
      ctx.services.authz.requireOrderAccess(await ctx.principal(), orderId);
      const order = await ctx.orders.load(orderId);
      if (!order) throw new NotFoundError('Order', orderId);
      const after = args.afterSequence as number | null | undefined;
      // Without afterSequence: changes after the order as read now (one the outbox publishes a moment later is not news).
      const seen = Math.max(0, ...order.events.filter((e) => e.type === 'STATUS_CHANGED').map((e) => e.sequence));
      return resumableChanges(ctx.services.pubSub, orderId, after, seen, (from) => statusChangesAfter(ctx.services.orderStore.reader.knex(), orderId, from));
    },
  })
  orderStatusChanged(
    @Arg('orderId', () => ID) _orderId: string,
    @Root() change: OrderStatusChange,
    @Arg('afterSequence', () => Int, { nullable: true, description: 'Resume: replay every status change with a greater sequence first (the last `sequence` this client saw).' }) _afterSequence?: number,
  ): Omit<OrderStatusEvent, 'order'> {
    return change;
  }

  @FieldResolver(() => Order)
  order(@Root() change: OrderStatusChange, @Ctx() ctx: GraphQLContext): Promise<Order> {
    let order = ordersByChange.get(change);
    if (!order) {
      order = ctx.orders.load(change.orderId).then((record) => {
        if (!record) throw new NotFoundError('Order', change.orderId);
        return toOrder(record, ctx.disputes);
      });
      ordersByChange.set(change, order);
    }
    return order;
  }
}
