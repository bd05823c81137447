import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../context';
import { ChargeWithTokenInput } from '../inputs/charge-with-token.input';
import { CreateCheckoutSessionInput } from '../inputs/create-checkout-session.input';
import { toOrder } from '../order.mapper';
import { ChargeResult } from '../types/charge-result.type';
import { CheckoutSession } from '../types/checkout-session.type';

@Resolver()
export class StripePaymentResolver {
  @Mutation(() => CheckoutSession, { description: 'Order token or admin. Reuses or expires an open session: never two payable sessions.' })
  async createCheckoutSession(@Arg('input', () => CreateCheckoutSessionInput) input: CreateCheckoutSessionInput, @Ctx() ctx: GraphQLContext): Promise<CheckoutSession> {
    ctx.services.authz.requireOrderAccess(await ctx.principal(), input.orderId);
    const session = await ctx.services.stripePayments.createCheckoutSession(input.orderId, input.successUrl, input.cancelUrl, input.captureMethod ?? undefined);
    return { ...session, order: toOrder(session.order, ctx.disputes) };
  }

  @Mutation(() => ChargeResult, { description: 'Order token or admin. A decline fails with PROVIDER_ERROR and extensions.providerCode.' })
  async chargeWithToken(@Arg('input', () => ChargeWithTokenInput) input: ChargeWithTokenInput, @Ctx() ctx: GraphQLContext): Promise<ChargeResult> {
    ctx.services.authz.requireOrderAccess(await ctx.principal(), input.orderId);
    const result = await ctx.services.stripePayments.chargeWithToken(input.orderId, input.token, input.returnUrl, input.captureMethod ?? undefined);
    return { ...result, order: toOrder(result.order, ctx.disputes) };
  }
}
