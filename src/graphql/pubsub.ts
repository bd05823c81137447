import { createPubSub } from '@graphql-yoga/subscription';
import type { OrderStatusChange, StatusChangeSink } from '../domain/services/status-change';

/** Topics of the in-process pub/sub; payloads are typed per topic. */
export enum Topic {
  ORDER_STATUS_CHANGED = 'ORDER_STATUS_CHANGED',
}

export type AppPubSub = ReturnType<typeof createAppPubSub>;

/** One pub/sub per running service; `orderStatusChanged` subscribers listen on their order id. */
export function createAppPubSub() {
  return createPubSub<{ [Topic.ORDER_STATUS_CHANGED]: [orderId: string, change: OrderStatusChange] }>();
}

/** Adapts the pub/sub to the domain's sink, so services never import GraphQL. */
export function pubSubSink(pubSub: AppPubSub): StatusChangeSink {
  return { publish: (change) => pubSub.publish(Topic.ORDER_STATUS_CHANGED, change.orderId, change) };
}
