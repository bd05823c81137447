import type { OrderEntity } from '../../db/entities';
import { ConflictError } from '../errors';
import { movePayment } from '../payment-state-machine';
import { PaymentProvider, PaymentStatus } from '../../model/payment-types';
import type { OrderUnitOfWork } from './order-transaction';

/**
 * Providers whose attempts move no money until we capture them: a PayPal order is charged only
 * by our claimed capture, so closing one is marking it CANCELED here, with no provider call.
 */
export const CLOSED_IN_OUR_RECORDS: ReadonlySet<PaymentProvider> = new Set([PaymentProvider.PAYPAL]);

/**
 * Closes the order's open attempts of the providers in CLOSED_IN_OUR_RECORDS (PayPal), in the
 * caller's transaction, before another attempt starts (or the order is canceled). It is charged
 * only when we capture it, a capture needs a claim (payment-claim.ts), and a CANCELED attempt
 * cannot be claimed, so marking it here makes it unusable in the same commit that lets the other
 * attempt go. A capture already claimed (PROCESSING) is money that may be moving: CONFLICT.
 */
export function supersedeAttemptsClosedInOurRecords(uow: OrderUnitOfWork, order: OrderEntity, source: string, by: string): void {
  for (const attempt of order.payments.getItems()) {
    if (!CLOSED_IN_OUR_RECORDS.has(attempt.provider)) continue;
    if (attempt.status === PaymentStatus.PROCESSING) {
      throw new ConflictError(`Order ${order.id} has a PayPal capture in progress; wait for its outcome`, { paymentId: attempt.id });
    }
    if (attempt.status === PaymentStatus.OPEN && movePayment(attempt, PaymentStatus.CANCELED)) {
      attempt.failureMessage = `superseded by ${by}`;
      uow.record(order, 'PAYMENT_SUPERSEDED', source, `PayPal attempt ${attempt.id} superseded by ${by}`);
    }
  }
}
