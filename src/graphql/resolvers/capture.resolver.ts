import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { CapturePaymentInput } from '../inputs/capture-payment.input';
import { toOrder } from '../order.mapper';
import { Order } from '../types/order.type';

@Resolver()
export class CaptureResolver {
  @Mutation(() => Order, { description: 'Admin only. Captures an AUTHORIZED order (amount omitted = all authorized; less = partial, the rest released) → PAID. PayPal: finalCapture false keeps the rest capturable (the order is PAID with what was captured).' })
  async capturePayment(@Arg('input', () => CapturePaymentInput) input: CapturePaymentInput, @Ctx() ctx: GraphQLContext): Promise<Order> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    return toOrder(await ctx.services.captures.capturePayment(input.orderId, input.amount, input.finalCapture), ctx.disputes);
  }

  @Mutation(() => Order, { description: 'Admin only. Releases an AUTHORIZED order’s held funds → CANCELED; nothing is charged. A PayPal authorization captured in part (finalCapture false): releases the rest, the order stays PAID with what was captured.' })
  async voidPayment(@Arg('orderId', () => ID) orderId: string, @Ctx() ctx: GraphQLContext): Promise<Order> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    return toOrder(await ctx.services.captures.voidPayment(orderId), ctx.disputes);
  }
}
