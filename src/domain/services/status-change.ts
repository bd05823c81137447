import type { OrderStatus } from '../order-status';

/** One committed order status change, as published to `orderStatusChanged` subscribers. */
export interface OrderStatusChange {
  orderId: string;
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  /** `mutation:cancelOrder`, `stripe:evt_…`, `paypal:WH-…`. */
  source: string;
  at: Date;
}

/** Where committed status changes go (the GraphQL pub/sub in the running service). */
export interface StatusChangeSink {
  publish(change: OrderStatusChange): void;
}
