import type { OrderEntity, PaymentEntity } from '../../db/entities';
import { BadUserInputError, ConflictError } from '../errors';
import { formatMoney } from '../money';
import { OrderStatus } from '../../model/order-status';
import { PaymentStatus } from '../../model/payment-types';
import type { OrderUnitOfWork } from './order-transaction';

/** Stripe (one capture per PaymentIntent): the amount is stored on the attempt as the claim; a second request may only repeat it. */
export function claimStripeCapture(uow: OrderUnitOfWork, order: OrderEntity, payment: PaymentEntity, amount: number | null | undefined, source: string) {
  const authorized = payment.amount;
  const wanted = amount ?? payment.capturedAmount ?? authorized;
  if (wanted > authorized) {
    throw new BadUserInputError(
      `Cannot capture ${formatMoney(wanted, order.currency)}: only ${formatMoney(authorized, order.currency)} is authorized (amount ${wanted} > ${authorized} minor units)`,
      'input.amount',
    );
  }
  if (payment.capturedAmount != null && payment.capturedAmount !== wanted) {
    throw new ConflictError(
      `A capture of ${formatMoney(payment.capturedAmount, order.currency)} is already under way for order ${order.id}; a capture of ${formatMoney(wanted, order.currency)} is refused (Stripe captures a PaymentIntent once)`,
      { paymentId: payment.id, capturing: payment.capturedAmount },
    );
  }
  if (payment.capturedAmount == null) {
    payment.capturedAmount = wanted;
    order.updatedAt = new Date();
    uow.record(order, 'CAPTURE_REQUESTED', source, `capturing ${formatMoney(wanted, order.currency)} of ${formatMoney(authorized, order.currency)} authorized`);
  }
  return { paymentId: payment.id, providerPaymentId: requireProviderId(payment), amount: wanted };
}

/** A PayPal authorization is captured from an AUTHORIZED order, and further (non-final) parts while the order is PAID or PARTIALLY_REFUNDED. */
export function assertCapturableOrder(order: OrderEntity): void {
  if (!CAPTURABLE.includes(order.status)) {
    throw new ConflictError(`Order ${order.id} is ${order.status}: its PayPal authorization can be captured only while the order is AUTHORIZED, PAID or PARTIALLY_REFUNDED`, { status: order.status });
  }
}

const CAPTURABLE: readonly OrderStatus[] = [OrderStatus.AUTHORIZED, OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED];

/**
 * A manual capture already made (Stripe captures a PaymentIntent once; a PayPal authorization
 * closed by its final capture): another capture is CONFLICT naming what was captured.
 */
export function assertNotCapturedBefore(order: OrderEntity, amount: number | null | undefined): void {
  const done = order.payments.getItems().find((p) => p.status === PaymentStatus.SUCCEEDED && p.capturedAmount != null && !p.autoRefundReason);
  if (!done || order.status === OrderStatus.AUTHORIZED) return;
  const money = (minor: number) => formatMoney(minor, order.currency);
  throw new ConflictError(
    `Order ${order.id} is ${order.status}: ${money(done.capturedAmount!)} of the ${money(done.amount)} authorized was captured already and its authorization is closed (${done.provider === 'STRIPE' ? 'Stripe captures a PaymentIntent once' : 'PayPal took its final capture'}); a capture${amount ? ` of ${money(amount)}` : ''} is refused`,
    { status: order.status, paymentId: done.id, captured: done.capturedAmount },
  );
}

export function requireProviderId(payment: PaymentEntity): string {
  if (!payment.providerPaymentId) throw new ConflictError(`Payment attempt ${payment.id} has no provider reference yet; retry shortly`, { paymentId: payment.id });
  return payment.providerPaymentId;
}
