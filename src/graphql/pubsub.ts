import { createPubSub, type PubSubEventTarget } from '@graphql-yoga/subscription';
import type { OrderStatusChange, StatusChangeSink } from '../domain/services/status-change';

/** Topics of the in-process pub/sub; payloads are typed per topic. */
export enum Topic {
  ORDER_STATUS_CHANGED = 'ORDER_STATUS_CHANGED',
}

type TopicArgs = { [Topic.ORDER_STATUS_CHANGED]: [orderId: string, change: OrderStatusChange] };

/**
 * An in-memory EventTarget that knows how many listeners each topic has, so operators and
 * tests can tell when a subscriber is really listening (graphql-ws has no subscribe ack).
 */
class CountingEventTarget extends EventTarget {
  private readonly counts = new Map<string, Set<unknown>>();

  override addEventListener(...[type, listener, options]: Parameters<EventTarget['addEventListener']>): void {
    super.addEventListener(type, listener, options);
    if (listener) this.counts.set(type, (this.counts.get(type) ?? new Set()).add(listener));
  }

  override removeEventListener(...[type, listener, options]: Parameters<EventTarget['removeEventListener']>): void {
    super.removeEventListener(type, listener, options);
    const listeners = this.counts.get(type);
    listeners?.delete(listener);
    if (listeners?.size === 0) this.counts.delete(type);
  }

  listenerCount(type: string): number {
    return this.counts.get(type)?.size ?? 0;
  }
}

export type AppPubSub = ReturnType<typeof createAppPubSub>;

/** One pub/sub per running service; `orderStatusChanged` subscribers listen on their order id. */
export function createAppPubSub() {
  const target = new CountingEventTarget();
  const pubSub = createPubSub<TopicArgs>({ eventTarget: target as PubSubEventTarget<TopicArgs> });
  return Object.assign(pubSub, {
    /** How many live `orderStatusChanged` subscriptions listen on this order. */
    subscriberCount: (orderId: string) => target.listenerCount(`${Topic.ORDER_STATUS_CHANGED}:${orderId}`),
  });
}

/** Adapts the pub/sub to the domain's sink, so services never import GraphQL. */
export function pubSubSink(pubSub: AppPubSub): StatusChangeSink {
  return { publish: (change) => pubSub.publish(Topic.ORDER_STATUS_CHANGED, change.orderId, change) };
}
