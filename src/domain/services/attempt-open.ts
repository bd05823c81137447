import { randomUUID } from 'node:crypto';
import type { AttemptEvent, AttemptWrite } from '../../db/attempt-store';
import { ConflictError } from '../errors';
import { isOutboxed } from '../outboxed-events';
import { assertTransition } from '../order-state-machine';
import { OrderStatus } from '../../model/order-status';
import type { PayableOrder } from '../../model/payable-order';
import { PaymentStatus, type CaptureMethod, type PaymentMethod, type PaymentProvider } from '../../model/payment-types';
import type { OrderStatusChange } from '../../model/status-change';
import { attemptsToSupersede, supersededNote } from './attempt-supersede';
import { assertOpenable, openAttempts, providerName } from './attempt-rules';
import { assertNoOtherMover, type AttemptFacts } from './payment-claim';

/** What opening an attempt stores and says (the event log keeps these words). */
export interface OpenAttempt {
  orderId: string;
  provider: PaymentProvider;
  method: PaymentMethod;
  source: string;
  /** What is asked for, in refusals: "a new PayPal order". */
  wanted: string;
  /** The PAYMENT_STARTED note: "PayPal attempt". */
  label: string;
  /** Who supersedes attempts closed in our records, in their failure message (default: `wanted`). */
  supersededBy?: string;
  /** The note on the move to PENDING, if any. */
  pendingNote?: string;
  /** An attempt whose create call got no answer: re-opened (same idempotency key) instead of a new one. */
  retry?: AttemptFacts;
  /** Stored on the attempt when the money moves only when captured (MANUAL). */
  captureMethod?: CaptureMethod | null;
}

/** The attempt opened: its id, and what it is for (the provider is called with these). */
export interface OpenedAttempt {
  paymentId: string;
  amount: number;
  currency: string;
}

/** The claim's write, what it opened, and the status change to publish once it committed. */
export interface OpenPlan {
  write: AttemptWrite;
  opened: OpenedAttempt;
  change?: OrderStatusChange;
}

/**
 * Decides the claim of payment-claim.ts on the order as read (at `order.version`): the attempt to
 * store (or the unanswered one to re-open), attempts closed in our records to supersede, the move
 * to PENDING and the log entries. Refusals are thrown before anything is written; the write
 * commits only if the order is still at that version (every claim bumps it).
 */
export function planOpen(order: PayableOrder, request: OpenAttempt, closesAtProvider: (provider: PaymentProvider) => boolean): OpenPlan {
  const { provider, method, source, retry } = request;
  assertOpenable(order);
  const at = new Date();
  const write: AttemptWrite = { orderId: order.id, version: order.version, status: order.status, at, superseded: [], events: [] };
  const log = (type: string, message: string | null, fromStatus: string | null = null, toStatus: string | null = null) =>
    write.events.push({ type, fromStatus, toStatus, source, message, at, outboxed: isOutboxed(type) } satisfies AttemptEvent);
  const stillOpen = openAttempts(order).filter((p) => p.provider === provider && closesAtProvider(p.provider));
  if (retry) {
    if (!stillOpen.some((p) => p.id === retry.id)) throw new ConflictError(`Payment attempt ${retry.id} changed meanwhile; retry`);
    log('PAYMENT_RETRIED', `retrying ${providerName(provider)} attempt ${retry.id} with its idempotency key`);
    return { write, opened: { paymentId: retry.id, amount: retry.amount, currency: retry.currency } };
  }
  if (stillOpen.length > 0) throw new ConflictError(`Order ${order.id} already has an open ${providerName(provider)} payment attempt; retry`);
  const by = request.supersededBy ?? request.wanted;
  const superseded = new Set(attemptsToSupersede(order).map((p) => p.id));
  for (const id of superseded) {
    write.superseded.push({ id, failureMessage: `superseded by ${by}` });
    log('PAYMENT_SUPERSEDED', supersededNote(id, by));
  }
  // The rule is checked on the attempts as this commit leaves them.
  const after = order.payments.map((p) => (superseded.has(p.id) ? { ...p, status: PaymentStatus.CANCELED } : p));
  assertNoOtherMover({ id: order.id, payments: after }, undefined, request.wanted);
  const paymentId = randomUUID();
  write.payment = {
    id: paymentId, provider, method, amount: order.amount, currency: order.currency,
    ...(request.captureMethod !== undefined ? { captureMethod: request.captureMethod } : {}),
  };
  let change: OrderStatusChange | undefined;
  if (order.status !== OrderStatus.PENDING) {
    assertTransition(order.status, OrderStatus.PENDING);
    log('STATUS_CHANGED', request.pendingNote ?? null, order.status, OrderStatus.PENDING);
    write.status = OrderStatus.PENDING;
    change = { orderId: order.id, status: OrderStatus.PENDING, previousStatus: order.status, source, at };
  }
  log('PAYMENT_STARTED', `${request.label} ${paymentId}`);
  return { write, opened: { paymentId, amount: order.amount, currency: order.currency }, change };
}
