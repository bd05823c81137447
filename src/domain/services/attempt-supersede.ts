import type { OrderEntity } from '../../db/entities';
import { ConflictError } from '../errors';
import { movePayment, paymentMayBecome } from '../payment-state-machine';
import { PaymentProvider, PaymentStatus } from '../../model/payment-types';
import type { OrderUnitOfWork } from './order-transaction';
import { attemptsOf, type AttemptFacts, type WithAttempts } from './payment-claim';

/**
 * Providers whose attempts move no money until we capture them: a PayPal order is charged only
 * by our claimed capture, so closing one is marking it CANCELED here, with no provider call.
 */
export const CLOSED_IN_OUR_RECORDS: ReadonlySet<PaymentProvider> = new Set([PaymentProvider.PAYPAL]);

/**
 * The order's open attempts of the providers in CLOSED_IN_OUR_RECORDS (PayPal), which must be
 * closed in the same commit that lets another attempt go (or cancels the order). It is charged
 * only when we capture it, a capture needs a claim (payment-claim.ts), and a CANCELED attempt
 * cannot be claimed, so marking it makes it unusable. A capture already claimed (PROCESSING) is
 * money that may be moving: CONFLICT.
 */
export function attemptsToSupersede<P extends AttemptFacts>(order: WithAttempts<P>): P[] {
  const superseded: P[] = [];
  for (const attempt of attemptsOf(order)) {
    if (!CLOSED_IN_OUR_RECORDS.has(attempt.provider)) continue;
    if (attempt.status === PaymentStatus.PROCESSING) {
      throw new ConflictError(`Order ${order.id} has a PayPal capture in progress; wait for its outcome`, { paymentId: attempt.id });
    }
    if (attempt.status === PaymentStatus.OPEN && paymentMayBecome(attempt.status, PaymentStatus.CANCELED)) superseded.push(attempt);
  }
  return superseded;
}

/** What the order's log says of an attempt superseded by `by`. */
export function supersededNote(attemptId: string, by: string): string {
  return `PayPal attempt ${attemptId} superseded by ${by}`;
}

/** Closes those attempts (attemptsToSupersede) in the caller's ORM transaction. */
export function supersedeAttemptsClosedInOurRecords(uow: OrderUnitOfWork, order: OrderEntity, source: string, by: string): void {
  for (const attempt of attemptsToSupersede(order)) {
    if (movePayment(attempt, PaymentStatus.CANCELED)) {
      attempt.failureMessage = `superseded by ${by}`;
      uow.record(order, 'PAYMENT_SUPERSEDED', source, supersededNote(attempt.id, by));
    }
  }
}
