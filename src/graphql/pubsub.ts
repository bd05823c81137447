import { createPubSub, type PubSubEventTarget } from '@graphql-yoga/subscription';
import type { OrderStatusChange } from '../model/status-change';
import type { OutboxChange } from '../outbox/outbox.store';
import type { RedisRelay } from './redis-relay';

/** Topics of the in-process pub/sub; payloads are typed per topic. */
export enum Topic {
  ORDER_STATUS_CHANGED = 'ORDER_STATUS_CHANGED',
}

type TopicArgs = { [Topic.ORDER_STATUS_CHANGED]: [orderId: string, change: OrderStatusChange] };

/**
 * An in-memory EventTarget that knows how many listeners each topic has, so operators and
 * tests can tell when a subscriber is really listening (graphql-ws has no subscribe ack).
 * With a relay, a topic's first listener starts hearing other instances' events and its last
 * one stops; events published here go to local listeners at once and to the relay.
 */
class CountingEventTarget extends EventTarget {
  private readonly counts = new Map<string, Set<unknown>>();

  constructor(private readonly relay?: RedisRelay) {
    super();
  }

  override addEventListener(...[type, listener, options]: Parameters<EventTarget['addEventListener']>): void {
    super.addEventListener(type, listener, options);
    if (!listener) return;
    const listeners = this.counts.get(type) ?? new Set();
    this.counts.set(type, listeners.add(listener));
    if (listeners.size === 1) this.relay?.listen(type, (detail) => super.dispatchEvent(new CustomEvent(type, { detail })));
  }

  override removeEventListener(...[type, listener, options]: Parameters<EventTarget['removeEventListener']>): void {
    super.removeEventListener(type, listener, options);
    const listeners = this.counts.get(type);
    listeners?.delete(listener);
    if (listeners?.size === 0) {
      this.counts.delete(type);
      this.relay?.unlisten(type);
    }
  }

  override dispatchEvent(event: Event): boolean {
    const result = super.dispatchEvent(event);
    this.relay?.publish(event.type, (event as CustomEvent<unknown>).detail);
    return result;
  }

  listenerCount(type: string): number {
    return this.counts.get(type)?.size ?? 0;
  }
}

export type AppPubSub = ReturnType<typeof createAppPubSub>;

/**
 * One pub/sub per running service; `orderStatusChanged` subscribers listen on their order id.
 * Without a relay it is in-process only; with one (REDIS_URL) subscribers also see changes
 * committed by other instances.
 */
export function createAppPubSub(relay?: RedisRelay) {
  const target = new CountingEventTarget(relay);
  const pubSub = createPubSub<TopicArgs>({ eventTarget: target as PubSubEventTarget<TopicArgs> });
  return Object.assign(pubSub, {
    /** How many live `orderStatusChanged` subscriptions on this instance listen on this order. */
    subscriberCount: (orderId: string) => target.listenerCount(`${Topic.ORDER_STATUS_CHANGED}:${orderId}`),
    /**
     * Listens on one order's changes without waiting for a subscriber to pull (a Repeater starts
     * listening only at its first `next()`): resumable subscriptions listen before they replay.
     */
    listen: (orderId: string, listener: (change: OrderStatusChange) => void): (() => void) => {
      const type = `${Topic.ORDER_STATUS_CHANGED}:${orderId}`;
      const handler = (event: Event) => listener((event as CustomEvent<OrderStatusChange>).detail);
      target.addEventListener(type, handler);
      return () => target.removeEventListener(type, handler);
    },
    /** Closes the relay's connections; call after the last subscription has ended. */
    close: async () => relay?.close(),
  });
}

/** Publishes the outbox's status changes to `orderStatusChanged` subscribers (here and, through the relay, on other instances). */
export function publishStatusChanges(pubSub: AppPubSub, changes: OutboxChange[]): void {
  for (const c of changes) {
    if (c.type !== 'STATUS_CHANGED' || !c.toStatus) continue;
    const change: OrderStatusChange = { orderId: c.orderId, status: c.toStatus, previousStatus: c.fromStatus, source: c.source, at: c.at, sequence: c.sequence };
    pubSub.publish(Topic.ORDER_STATUS_CHANGED, c.orderId, change);
  }
}
