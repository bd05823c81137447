import { ConflictError, NotFoundError } from '../errors';
import { isPaymentOpenable } from '../order-state-machine';
import type { OrderStatus } from '../../model/order-status';
import type { PayableOrder } from '../../model/payable-order';
import { OPEN_PAYMENT_STATUSES } from '../payment-state-machine';
import { PaymentMethod, PaymentProvider } from '../../model/payment-types';
import { attemptsOf, type AttemptFacts, type WithAttempts } from './payment-claim';

/** The same refusal, whatever the provider: the order's status does not let a payment start. */
export function assertOpenable(order: { id: string; status: OrderStatus }): void {
  if (!isPaymentOpenable(order.status)) {
    throw new ConflictError(`Order ${order.id} is ${order.status}; a payment can start only from CREATED, PENDING, REQUIRES_ACTION, FAILED or EXPIRED`, { status: order.status });
  }
}

/** The order, or NOT_FOUND; then the refusal above. */
export function openableOrFail(order: PayableOrder | null, orderId: string): PayableOrder {
  if (!order) throw new NotFoundError('Order', orderId);
  assertOpenable(order);
  return order;
}

/** The order's attempts that are still open (their customer could still pay them). */
export function openAttempts<P extends AttemptFacts>(order: WithAttempts<P>, provider?: PaymentProvider): P[] {
  return attemptsOf(order).filter((p) => (provider === undefined || p.provider === provider) && OPEN_PAYMENT_STATUSES.includes(p.status));
}

/** An attempt whose create call never got an answer: the same idempotency key must be retried. */
export function createCallUnanswered(payment: AttemptFacts): boolean {
  return !payment.providerSessionId && !payment.providerPaymentId;
}

/** CONFLICT: the attempt's create call got no answer; its own mutation, called again, finishes it. */
export function unknownOutcome(attempt: AttemptFacts): ConflictError {
  const name = providerName(attempt.provider);
  return new ConflictError(
    `The outcome of ${name} attempt ${attempt.id} is still unknown (${name} did not answer); call ${MUTATION_OF[attempt.method]} again with the same input to finish it first`,
    { paymentId: attempt.id },
  );
}

/** One line of an order, as providers are told it. */
export function lineOf(item: { sku: string; name: string; unitAmount: number; quantity: number }) {
  return { sku: item.sku, name: item.name, unitAmount: item.unitAmount, quantity: item.quantity };
}

const MUTATION_OF: Record<PaymentMethod, string> = {
  [PaymentMethod.STRIPE_CHECKOUT]: 'createCheckoutSession',
  [PaymentMethod.STRIPE_CARD]: 'chargeWithToken',
  [PaymentMethod.PAYPAL]: 'createPayPalOrder',
};

export function providerName(provider: PaymentProvider): string {
  return provider === PaymentProvider.STRIPE ? 'Stripe' : 'PayPal';
}
