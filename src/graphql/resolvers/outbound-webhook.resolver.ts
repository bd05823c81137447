import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { AttemptRecord, DeliveryRecord, EndpointRecord } from '../../outbound-webhooks/delivery-types';
import type { GraphQLContext } from '../context';
import { toConnection } from '../connection';
import { CreateWebhookEndpointInput } from '../inputs/create-webhook-endpoint.input';
import { WebhookDelivery, WebhookDeliveryConnection } from '../types/webhook-delivery.type';
import { CreateWebhookEndpointPayload, WebhookEndpoint } from '../types/webhook-endpoint.type';

const toEndpoint = (e: EndpointRecord): WebhookEndpoint => ({ ...e, enabled: e.disabledAt === null });
const toDelivery = (d: DeliveryRecord, attempts: AttemptRecord[]): WebhookDelivery => ({ ...d, sequence: d.eventSequence, attemptCount: d.attempts, attempts });

/** Outbound webhooks for the admin: endpoints, deliveries with their attempts, redelivery. */
@Resolver()
export class OutboundWebhookResolver {
  @Query(() => [WebhookEndpoint], { description: 'Admin only. Every registered endpoint, oldest first (secrets are never shown again).' })
  async webhookEndpoints(@Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint[]> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    return (await ctx.services.outboundWebhooks.endpoints()).map(toEndpoint);
  }

  @Query(() => WebhookDeliveryConnection, {
    description: 'Admin only. Outbound deliveries, newest first, optionally of one endpoint, each with its attempts.',
    complexity: ({ args, childComplexity }) => 1 + childComplexity * Math.min(Math.max(Number(args.first ?? 20), 1), 100),
  })
  async webhookDeliveries(
    @Ctx() ctx: GraphQLContext,
    @Arg('endpointId', () => ID, { nullable: true }) endpointId?: string,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 20.' }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<WebhookDeliveryConnection> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    const page = await ctx.services.outboundWebhooks.deliveries({ endpointId, first, after });
    const attempts = await ctx.services.outboundWebhooks.store.attemptsOf(page.nodes.map((d) => d.id));
    const byId = new Map(page.nodes.map((d, i) => [d.id, attempts[i]]));
    return toConnection(page, (d) => toDelivery(d, byId.get(d.id) ?? []));
  }

  @Mutation(() => CreateWebhookEndpointPayload, { description: 'Admin only. Registers an endpoint; the signing secret is returned this once.' })
  async createWebhookEndpoint(@Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput, @Ctx() ctx: GraphQLContext): Promise<CreateWebhookEndpointPayload> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    const created = await ctx.services.outboundWebhooks.create(input.url, input.events);
    return { endpoint: toEndpoint(created.endpoint), secret: created.secret };
  }

  @Mutation(() => Boolean, { description: 'Admin only. Deletes the endpoint and its deliveries; false when there was none.' })
  async deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    return ctx.services.outboundWebhooks.delete(id);
  }

  @Mutation(() => WebhookDelivery, { description: 'Admin only. Sends the message again now, as a new delivery with the same webhook-id; a disabled endpoint is enabled again.' })
  async redeliverWebhook(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: GraphQLContext): Promise<WebhookDelivery> {
    ctx.services.authz.requireAdmin(await ctx.principal());
    return toDelivery(await ctx.services.outboundWebhooks.redeliver(deliveryId), []);
  }
}
