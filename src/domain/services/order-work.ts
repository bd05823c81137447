import type { DisputeEntity, OrderEntity, PaymentEntity, RefundEntity } from '../../db/entities';
import { assertTransition } from '../order-state-machine';
import type { PaymentRef } from '../providers/provider-events';
import type { OrderStatus } from '../../model/order-status';
import type { PaymentProvider } from '../../model/payment-types';
import type { OrderStatusChange } from '../../model/status-change';

/** A new refund: what the domain says; id, status and dates take the entity's defaults. */
export type NewRefund = Pick<RefundEntity, 'order' | 'payment' | 'amount' | 'currency'> & Partial<Pick<RefundEntity, 'status' | 'providerRefundId' | 'providerChargeId' | 'reason'>>;
/** A new dispute fact. */
export type NewDispute = Pick<DisputeEntity, 'order' | 'payment' | 'provider' | 'providerDisputeId' | 'status'>;

/**
 * What the reconciler, settlement and late payments need of a transaction over orders, whichever
 * way it reaches the database: the ORM's unit of work (order-transaction.ts) or detached entities
 * written with set-based SQL (detached-facts.ts, the webhook applier's batch). Every status change
 * goes through `transition`, so both keep the state machine, the event log and the outbox.
 */
export abstract class OrderWork {
  readonly changes: OrderStatusChange[] = [];
  /** Work that must wait until this transaction has committed (provider calls such as an automatic refund). */
  readonly afterCommit: (() => Promise<void>)[] = [];

  /**
   * Moves the order through the state machine (an illegal move throws CONFLICT) and appends
   * the change to its event log and the outbox. The outbox dispatcher publishes it after the commit.
   */
  transition(order: OrderEntity, to: OrderStatus, source: string, message?: string): void {
    const from = order.status;
    assertTransition(from, to);
    order.status = to;
    order.updatedAt = new Date();
    this.record(order, 'STATUS_CHANGED', source, message, from, to);
    this.changes.push({ orderId: order.id, status: to, previousStatus: from, source, at: new Date() });
  }

  /** Appends a non-status fact (payment started, refund requested, event ignored) to the order's log (and the outbox when it goes out). */
  abstract record(order: OrderEntity, type: string, source: string, message?: string, from?: OrderStatus, to?: OrderStatus): void;

  /** A new refund, added to its order's `refunds` and written with this transaction. */
  abstract addRefund(refund: NewRefund): RefundEntity;

  /** A new dispute fact, added to its order's `disputes` and written with this transaction. */
  abstract addDispute(dispute: NewDispute): DisputeEntity;

  /**
   * The attempt `ref` names (our own id first, then the provider's ids), with its order's payments,
   * refunds and disputes loaded; null when no attempt of ours matches.
   */
  abstract findPayment(provider: PaymentProvider, ref: PaymentRef): Promise<PaymentEntity | null>;
}
