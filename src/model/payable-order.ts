import type { OrderStatus } from './order-status';
import type { OrderItemRecord, PaymentRecord } from './order-record';

/**
 * What opening a payment attempt decides from: the order with its lines and attempts, and the
 * optimistic-lock `version` it was read at (the attempt's write commits only if it is unchanged).
 * Plain data read in one statement (src/db/attempt-store.ts), never tracked by the ORM.
 */
export interface PayableOrder {
  id: string;
  status: OrderStatus;
  version: number;
  amount: number;
  currency: string;
  customerEmail: string | null;
  items: OrderItemRecord[];
  payments: PaymentRecord[];
}
