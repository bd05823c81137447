import type { OrderEntity } from '../../db/entities';
import { ConflictError } from '../errors';
import { PaymentProvider, PaymentStatus } from '../payment-types';
import type { OrderUnitOfWork } from './order-transaction';

/**
 * Cancels the order's open PayPal attempts before another attempt starts. Nothing needs to be
 * called at PayPal: a PayPal order is charged only when we capture it, and we never capture a
 * canceled attempt. A capture already in flight (PROCESSING) is money moving: no new attempt.
 */
export function supersedeOpenPayPalAttempts(uow: OrderUnitOfWork, order: OrderEntity, source: string, by: string): void {
  for (const attempt of order.payments.getItems()) {
    if (attempt.provider !== PaymentProvider.PAYPAL) continue;
    if (attempt.status === PaymentStatus.PROCESSING) {
      throw new ConflictError(`Order ${order.id} has a PayPal capture in progress; wait for its outcome`, { paymentId: attempt.id });
    }
    if (attempt.status === PaymentStatus.OPEN) {
      attempt.status = PaymentStatus.CANCELED;
      attempt.failureMessage = `superseded by ${by}`;
      attempt.updatedAt = new Date();
      uow.record(order, 'PAYMENT_SUPERSEDED', source, `PayPal attempt ${attempt.id} superseded by ${by}`);
    }
  }
}
