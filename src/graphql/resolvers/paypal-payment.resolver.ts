import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { CapturePayPalOrderInput } from '../inputs/capture-paypal-order.input';
import { CreatePayPalOrderInput } from '../inputs/create-paypal-order.input';
import { toOrder } from '../order.mapper';
import { Order } from '../types/order.type';
import { PayPalOrder } from '../types/paypal-order.type';

@Resolver()
export class PayPalPaymentResolver {
  @Mutation(() => PayPalOrder, { description: 'Order token or admin. Supersedes an open PayPal order of the same order: only the newest is ever captured.' })
  async createPayPalOrder(@Arg('input', () => CreatePayPalOrderInput) input: CreatePayPalOrderInput, @Ctx() ctx: GraphQLContext): Promise<PayPalOrder> {
    ctx.services.authz.requireOrderAccess(await ctx.principal(), input.orderId);
    const result = await ctx.services.paypalPayments.createPayPalOrder(input.orderId, input.returnUrl, input.cancelUrl, input.captureMethod ?? undefined);
    return { ...result, order: toOrder(result.order, ctx.disputes) };
  }

  @Mutation(() => Order, {
    description: 'Order token or admin. Idempotent. For a MANUAL PayPal order it authorizes (PayPal /authorize) and returns the order AUTHORIZED. A decline fails with PROVIDER_ERROR and extensions.providerCode (e.g. INSTRUMENT_DECLINED). '
      + 'A PayPal-Mock-Response request header is passed on to PayPal for negative testing, except against live PayPal.',
  })
  async capturePayPalOrder(@Arg('input', () => CapturePayPalOrderInput) input: CapturePayPalOrderInput, @Ctx() ctx: GraphQLContext): Promise<Order> {
    ctx.services.authz.requireOrderAccess(await ctx.principal(), input.orderId);
    return toOrder(await ctx.services.paypalPayments.capturePayPalOrder(input.orderId, ctx.requestHeaders['paypal-mock-response']), ctx.disputes);
  }
}
