/**
 * The order lifecycle (CONTRACT §1): one declared transition table and a few
 * pure helpers around it. Every status change in the service goes through
 * `assertTransition`, so an illegal move is a `CONFLICT`, never a silent
 * overwrite. Helpers read the table; nothing restates it in a switch.
 */
import { ConflictError } from './errors';
import { OrderStatus } from '../model/order-status';

const S = OrderStatus;

const freeze = (...to: OrderStatus[]): readonly OrderStatus[] => Object.freeze(to);

/** Allowed moves: `TRANSITIONS[from]` lists every legal `to`. The single source of truth. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = Object.freeze({
  [S.CREATED]: freeze(S.PENDING, S.REQUIRES_ACTION, S.PAID, S.FAILED, S.CANCELED, S.AUTHORIZED),
  [S.PENDING]: freeze(S.REQUIRES_ACTION, S.PAID, S.FAILED, S.CANCELED, S.EXPIRED, S.AUTHORIZED),
  [S.REQUIRES_ACTION]: freeze(S.PENDING, S.PAID, S.FAILED, S.CANCELED, S.AUTHORIZED),
  // FAILED → FAILED: a second declined attempt is still an event worth recording.
  [S.FAILED]: freeze(S.PENDING, S.REQUIRES_ACTION, S.PAID, S.FAILED, S.CANCELED, S.AUTHORIZED),
  [S.EXPIRED]: freeze(S.PENDING, S.REQUIRES_ACTION, S.PAID, S.CANCELED, S.AUTHORIZED),
  // Funds held (manual capture): a capture (full or partial) settles, a void releases them all,
  // and an authorization nobody captured in time lapses.
  [S.AUTHORIZED]: freeze(S.PAID, S.CANCELED, S.EXPIRED),
  [S.PAID]: freeze(S.PARTIALLY_REFUNDED, S.REFUNDED, S.DISPUTED),
  // PARTIALLY_REFUNDED → itself: each further partial refund is its own event.
  // PARTIALLY_REFUNDED → PAID: its only refund failed after it had succeeded (see REFUNDED).
  [S.PARTIALLY_REFUNDED]: freeze(S.PARTIALLY_REFUNDED, S.REFUNDED, S.DISPUTED, S.PAID),
  // DISPUTED → PAID / PARTIALLY_REFUNDED: every dispute was won, back to what the refunds say.
  // DISPUTED → DISPUTED: a dispute was lost (or another opened); the order stays disputed and
  // subscribers still hear of it. A lost dispute is not a refund: the bank took the money back,
  // no refund of ours exists, and any money the provider reports moving (a refund, PayPal's
  // capture reversal) arrives as its own fact and takes the order to REFUNDED from here.
  [S.DISPUTED]: freeze(S.PAID, S.PARTIALLY_REFUNDED, S.REFUNDED, S.DISPUTED),
  // REFUNDED → PARTIALLY_REFUNDED / PAID: a refund failed after it had succeeded (Stripe
  // `refund.failed`, e.g. the card was closed): the money is back with the merchant, and the order
  // returns to what the refunds that still stand say. Nothing else leaves REFUNDED.
  [S.REFUNDED]: freeze(S.PARTIALLY_REFUNDED, S.PAID),
  [S.CANCELED]: freeze(),
});

/**
 * Statuses from which a new payment attempt (checkout session, PaymentIntent,
 * PayPal order) may start. PENDING and REQUIRES_ACTION are included so a
 * customer who abandoned a checkout, or switches from Stripe to PayPal, is
 * not stuck; the service must then close the previous provider attempt.
 * Every one of them can still reach PAID in the table (checked by a test).
 */
const PAYMENT_OPENABLE: ReadonlySet<OrderStatus> = new Set([
  S.CREATED, S.PENDING, S.REQUIRES_ACTION, S.FAILED, S.EXPIRED,
]);

/**
 * Where a won dispute returns an order: the money statuses its refunds derive. Leaving DISPUTED
 * for one of them is not going backwards (see `isBackwards`): the dispute is a fact of its own
 * that only moves forward (open → won | lost), so a late "dispute opened" cannot reopen it.
 */
const DISPUTE_WON_RETURNS: ReadonlySet<OrderStatus> = new Set([S.PAID, S.PARTIALLY_REFUNDED]);

/** True when `from → to` is an authorization that lapsed uncaptured: a forward fact, though EXPIRED ranks lower. */
export function isAuthorizationLapse(from: OrderStatus, to: OrderStatus): boolean {
  return from === S.AUTHORIZED && to === S.EXPIRED;
}

/**
 * How far along an order is. Webhooks arrive late, are retried, and are
 * delivered out of order (Stripe and PayPal both say so); comparing ranks
 * lets the service ignore an old event (e.g. `payment_intent.processing`
 * after `succeeded`) instead of moving a PAID order back to PENDING.
 * Attempt-level statuses share rank 1 so that retry cycles between them
 * (FAILED → PENDING → FAILED) are never mistaken for going backwards.
 */
const PROGRESS_RANK: Readonly<Record<OrderStatus, number>> = Object.freeze({
  [S.CREATED]: 0,
  [S.PENDING]: 1,
  [S.REQUIRES_ACTION]: 1,
  [S.FAILED]: 1,
  [S.EXPIRED]: 1,
  // Between an attempt and captured money: a late "authorized" event never undoes a capture,
  // and a late "processing" never undoes an authorization.
  [S.AUTHORIZED]: 1.5,
  [S.PAID]: 2,
  [S.PARTIALLY_REFUNDED]: 3,
  [S.DISPUTED]: 4,
  [S.REFUNDED]: 5,
  [S.CANCELED]: 6,
});

/** Every status `from` may legally move to (empty for terminal statuses). */
export function allowedTransitions(from: OrderStatus): readonly OrderStatus[] {
  return ORDER_TRANSITIONS[from] ?? [];
}

/** True when the table allows `from → to`. */
export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return allowedTransitions(from).includes(to);
}

/** Throws `ConflictError` (details `{ from, to }`) unless `from → to` is legal. */
export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) {
    throw new ConflictError(`Order cannot go from ${from} to ${to}`, { from, to });
  }
}

/** Where a refund that failed after it succeeded returns an order: less refunded, same captured money. */
const REFUND_REVERSAL: Readonly<Partial<Record<OrderStatus, readonly OrderStatus[]>>> = Object.freeze({
  [S.REFUNDED]: [S.PARTIALLY_REFUNDED, S.PAID],
  [S.PARTIALLY_REFUNDED]: [S.PAID],
});

/**
 * True when `from → to` is the move back of a refund that failed after it succeeded. Only the
 * caller knows whether the refunded amount really went down; it must check that too, so a late
 * or replayed event can never use this move.
 */
export function isRefundReversal(from: OrderStatus, to: OrderStatus): boolean {
  return REFUND_REVERSAL[from]?.includes(to) ?? false;
}

/** True when no transition leaves `status` (CANCELED). */
export function isTerminal(status: OrderStatus): boolean {
  return allowedTransitions(status).length === 0;
}

/** True when a new payment attempt may be started for an order in `status`. */
export function isPaymentOpenable(status: OrderStatus): boolean {
  return PAYMENT_OPENABLE.has(status);
}

/** Progress rank of `status`: CREATED 0, attempt statuses 1, AUTHORIZED 1.5, PAID 2, …, CANCELED 6. */
export function progressRank(status: OrderStatus): number {
  return PROGRESS_RANK[status];
}

/** True when `from → to` leaves a dispute for the money status a won dispute returns to. */
export function isDisputeResolution(from: OrderStatus, to: OrderStatus): boolean {
  return from === S.DISPUTED && DISPUTE_WON_RETURNS.has(to);
}

/**
 * True when `from → to` would move the order backwards (a late or replayed event). A dispute's
 * resolution is forward: its rank reflects that a dispute is open, not that money was lost.
 */
export function isBackwards(from: OrderStatus, to: OrderStatus): boolean {
  return progressRank(to) < progressRank(from) && !isDisputeResolution(from, to) && !isAuthorizationLapse(from, to);
}
