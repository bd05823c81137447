/**
 * Order lifecycle status (CONTRACT §1, GraphQL enum `OrderStatus`). String
 * values are part of the public contract and are stored as-is.
 */
export enum OrderStatus {
  CREATED = 'CREATED',
  PENDING = 'PENDING',
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  PAID = 'PAID',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
  REFUNDED = 'REFUNDED',
  FAILED = 'FAILED',
  CANCELED = 'CANCELED',
  EXPIRED = 'EXPIRED',
  DISPUTED = 'DISPUTED',
  /** Funds held by a manual-capture payment, not yet captured (capture → PAID, void → CANCELED, lapse → EXPIRED). */
  AUTHORIZED = 'AUTHORIZED',
}

/** Every status, in declaration order. */
export const ORDER_STATUSES: readonly OrderStatus[] = Object.freeze(Object.values(OrderStatus));
