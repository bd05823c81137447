import type { DisputeStatus } from './dispute-status';
import type { OrderStatus } from './order-status';
import type { AuthorizationCapture, CaptureMethod, PaymentMethod, PaymentProvider, PaymentStatus, RefundStatus } from './payment-types';

/**
 * An order as read for display: plain data with every relation, read in a fixed number of
 * queries (src/db/order-reader.ts) and never tracked by the ORM. Writes go through the services.
 */
export interface OrderRecord {
  id: string;
  status: OrderStatus;
  currency: string;
  amount: number;
  amountRefunded: number;
  amountCaptured: number;
  customerEmail: string | null;
  createdAt: Date;
  updatedAt: Date;
  items: OrderItemRecord[];
  payments: PaymentRecord[];
  refunds: RefundRecord[];
  /** Disputes are read only when asked for (OrderReader.disputesOf): most reads never show them. */
  events: OrderEventRecord[];
}

/** An order read with its disputes in the same statement (`order(id)` when the query selects them). */
export type OrderWithDisputes = OrderRecord & { disputes: DisputeRecord[] };

export interface OrderItemRecord {
  sku: string;
  name: string;
  unitAmount: number;
  quantity: number;
  lineAmount: number;
}

export interface PaymentRecord {
  id: string;
  provider: PaymentProvider;
  method: PaymentMethod;
  status: PaymentStatus;
  amount: number;
  currency: string;
  providerSessionId: string | null;
  providerPaymentId: string | null;
  providerChargeId: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  /** Set when the payment came late, on an order that could no longer take it, and was refunded automatically. */
  autoRefundReason: string | null;
  /** MANUAL when the money moves only when an admin captures it (PayPal keeps it on the attempt); null = AUTOMATIC. */
  captureMethod: CaptureMethod | null;
  /** PayPal manual capture: every capture of the authorization, oldest first (empty otherwise). */
  captures: AuthorizationCapture[];
  /** PayPal manual capture: the uncaptured rest of the authorization was voided or lapsed. */
  authorizationReleased: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface RefundRecord {
  id: string;
  orderId: string;
  paymentId: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  providerRefundId: string | null;
  reason: string | null;
  failureMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DisputeRecord {
  id: string;
  orderId: string;
  paymentId: string;
  provider: PaymentProvider;
  providerDisputeId: string;
  status: DisputeStatus;
  reason: string | null;
  amount: number | null;
  currency: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface OrderEventRecord {
  sequence: number;
  type: string;
  fromStatus: OrderStatus | null;
  toStatus: OrderStatus | null;
  source: string;
  message: string | null;
  at: Date;
}
