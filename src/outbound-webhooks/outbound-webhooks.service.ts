import { randomBytes } from 'node:crypto';
import type { SqlExecutor } from '../db/sql-executor';
import type { OutboundWebhooksConfig } from '../config/config';
import type { OrderRecord } from '../model/order-record';
import { BadUserInputError, NotFoundError } from '../domain/errors';
import type { OutboxChange } from '../outbox/outbox.store';
import type { DeliveryRecord, EndpointRecord } from './delivery-types';
import type { DeliveryWorker } from './delivery.worker';
import { validateEndpointUrl, validateEventTypes } from './endpoint-url';
import { eventTypesOf, OUTBOUND_EVENT_TYPES, subscribes } from './event-types';
import type { NewDelivery, OutboundStore } from './outbound.store';

/**
 * Outbound webhooks: the admin's endpoints and deliveries, and the queueing of each outbox change
 * for the endpoints subscribed to its event types (inside the outbox dispatcher's transaction).
 */
export class OutboundWebhooksService {
  private queuedSinceWake = false;

  constructor(
    readonly store: OutboundStore,
    readonly worker: DeliveryWorker,
    private readonly config: OutboundWebhooksConfig,
    /** The orders' public shape (what `order` returns), read for the payloads. */
    private readonly orders: (ids: string[]) => Promise<(OrderRecord | null)[]>,
  ) {}

  /** Registers an endpoint; the returned secret is never shown again. */
  async create(url: string, events: string[]): Promise<{ endpoint: EndpointRecord; secret: string }> {
    const checkedUrl = validateEndpointUrl(url, this.config.production);
    const checkedEvents = validateEventTypes(events, Object.keys(OUTBOUND_EVENT_TYPES));
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    return { endpoint: await this.store.createEndpoint(checkedUrl, checkedEvents, secret), secret };
  }

  async delete(id: string): Promise<boolean> {
    return this.store.deleteEndpoint(id);
  }

  endpoints(): Promise<EndpointRecord[]> {
    return this.store.endpoints();
  }

  deliveries(args: { endpointId?: string | null; first?: number | null; after?: string | null }) {
    const first = args.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > 100) throw new BadUserInputError('first must be from 1 to 100', 'first');
    return this.store.deliveries({ endpointId: args.endpointId, first, after: args.after });
  }

  /** Sends the delivery's message again, as a new delivery with the same `webhook-id`. */
  async redeliver(id: string): Promise<DeliveryRecord> {
    const again = await this.store.redeliver(id);
    if (!again) throw new NotFoundError('WebhookDelivery', id);
    this.worker.wake();
    return again;
  }

  /** Wakes the delivery worker when the last outbox batch queued anything (called after its commit). */
  afterEnqueue(): void {
    if (!this.queuedSinceWake) return;
    this.queuedSinceWake = false;
    this.worker.wake();
  }

  /** Queues one delivery per (change, event type, subscribed endpoint) in the outbox's transaction. */
  async enqueue(db: SqlExecutor, changes: OutboxChange[]): Promise<void> {
    const endpoints = await this.store.activeEndpoints(db);
    if (endpoints.length === 0) return;
    const messages = changes.flatMap((change) => eventTypesOf(change).map((type) => ({ change, type, to: endpoints.filter((e) => subscribes(e.events, type)) }))).filter((m) => m.to.length > 0);
    if (messages.length === 0) return;
    const ids = [...new Set(messages.map((m) => m.change.orderId))];
    const orders = new Map((await this.orders(ids)).filter((o): o is OrderRecord => o !== null).map((o) => [o.id, o]));
    const deliveries: NewDelivery[] = messages.flatMap(({ change, type, to }) => {
      const payload = JSON.stringify({ type, timestamp: change.at.toISOString(), data: { order: publicOrder(orders.get(change.orderId)), change: publicChange(change) } });
      const messageId = `msg_${change.sequence}_${type.replace('.', '_')}`;
      return to.map((e) => ({ endpointId: e.id, messageId, eventType: type, orderId: change.orderId, eventSequence: change.sequence, payload }));
    });
    await this.store.enqueue(db, deliveries);
    this.queuedSinceWake = true;
  }
}

/** The order as `order(id)` shows it, without its event log (the change is beside it). */
function publicOrder(order: OrderRecord | undefined): Omit<OrderRecord, 'events'> | null {
  if (!order) return null;
  const { events: _events, ...rest } = order;
  return rest;
}

function publicChange(c: OutboxChange) {
  return { sequence: c.sequence, type: c.type, status: c.toStatus, previousStatus: c.fromStatus, source: c.source, message: c.message, at: c.at.toISOString() };
}
