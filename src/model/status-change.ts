import type { OrderStatus } from './order-status';

/** One committed order status change, as published to `orderStatusChanged` subscribers. */
export interface OrderStatusChange {
  orderId: string;
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  /** `mutation:cancelOrder`, `stripe:evt_…`, `paypal:WH-…`. */
  source: string;
  at: Date;
  /** The order event's `sequence` (set when published from the outbox): subscribers drop repeats by it and resume after it. */
  sequence?: number;
}

/** Told of status changes once they committed (the running service wakes its outbox dispatcher, src/outbox). */
export interface StatusChangeSink {
  publish(change: OrderStatusChange): void;
}
