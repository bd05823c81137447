import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { WebhookEventEntity } from '../../db/entities';
import type { PaymentProvider as DomainProvider } from '../../model/payment-types';
import type { GraphQLContext } from '../context';
import { PaymentProvider, WebhookEventStatus } from '../types/enums';
import { WebhookEvent, WebhookEventConnection } from '../types/webhook-event.type';
import { pageSizeForCost } from '../../domain/services/pagination';
import { toConnection } from '../connection';

const toWebhookEvent = (e: WebhookEventEntity): WebhookEvent => ({
  id: e.id,
  provider: e.provider as DomainProvider,
  eventId: e.eventId,
  type: e.type,
  status: e.status,
  outcome: e.outcome,
  attempts: e.attempts,
  lastError: e.lastError ?? null,
  nextAttemptAt: e.nextAttemptAt ?? null,
  receivedAt: e.receivedAt,
  appliedAt: e.appliedAt ?? null,
  orderId: e.orderId ?? null,
  payload: e.payload ?? null,
});

/** The webhook inbox for operators: list, replay one, put every DEAD event back in line. Admin only. */
@Resolver()
export class WebhookEventResolver {
  @Query(() => WebhookEventConnection, {
    description: 'Admin only. Newest first.',
    complexity: ({ args, childComplexity }) => 1 + childComplexity * pageSizeForCost(args.first),
  })
  async webhookEvents(
    @Ctx() ctx: GraphQLContext,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 20.' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('provider', () => PaymentProvider, { nullable: true }) provider?: PaymentProvider,
    @Arg('status', () => WebhookEventStatus, { nullable: true }) status?: WebhookEventStatus,
    @Arg('type', () => String, { nullable: true }) type?: string,
    @Arg('orderId', () => ID, { nullable: true }) orderId?: string,
  ): Promise<WebhookEventConnection> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    const page = await ctx.services.webhooks.list({ first, after, provider, status, type, orderId });
    return toConnection(page, toWebhookEvent);
  }

  @Mutation(() => WebhookEvent, { description: 'Admin only. Applies a stored event again now; replaying an APPLIED event changes nothing.' })
  async replayWebhookEvent(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<WebhookEvent> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    return toWebhookEvent(await ctx.services.webhooks.replay(id));
  }

  @Mutation(() => Int, { description: 'Admin only. Puts every DEAD event back in line (attempts reset); returns how many.' })
  async retryDeadWebhookEvents(@Ctx() ctx: GraphQLContext): Promise<number> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    return ctx.services.webhooks.retryDead();
  }
}
