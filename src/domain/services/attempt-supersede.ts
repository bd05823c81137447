import type { OrderEntity } from '../../db/entities';
import { ConflictError } from '../errors';
import { movePayment } from '../payment-state-machine';
import { PaymentProvider, PaymentStatus } from '../payment-types';
import type { OrderUnitOfWork } from './order-transaction';

/**
 * Closes the order's open PayPal attempts, in the caller's transaction, before another attempt
 * starts (or the order is canceled). This is how a PayPal order is closed (payment-claim.ts): it
 * is charged only when we capture it, a capture needs a claim, and a CANCELED attempt cannot be
 * claimed, so marking it here makes it unusable in the same commit that lets the other attempt go.
 * A capture already claimed (PROCESSING) is money that may be moving: CONFLICT.
 */
export function supersedeOpenPayPalAttempts(uow: OrderUnitOfWork, order: OrderEntity, source: string, by: string): void {
  for (const attempt of order.payments.getItems()) {
    if (attempt.provider !== PaymentProvider.PAYPAL) continue;
    if (attempt.status === PaymentStatus.PROCESSING) {
      throw new ConflictError(`Order ${order.id} has a PayPal capture in progress; wait for its outcome`, { paymentId: attempt.id });
    }
    if (attempt.status === PaymentStatus.OPEN && movePayment(attempt, PaymentStatus.CANCELED)) {
      attempt.failureMessage = `superseded by ${by}`;
      uow.record(order, 'PAYMENT_SUPERSEDED', source, `PayPal attempt ${attempt.id} superseded by ${by}`);
    }
  }
}
