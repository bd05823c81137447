import type { EntityManager } from '@mikro-orm/core';
import { OrderEntity, PaymentEntity } from '../../db/entities';
import type { PaymentAction, PaymentRef } from '../providers/provider-events';
import type { CheckoutSessionView, StripeGateway } from '../providers/stripe-gateway';
import { ConflictError, NotFoundError } from '../errors';
import { isPaymentOpenable } from '../order-state-machine';
import { PaymentMethod, PaymentProvider } from '../payment-types';
import { OPEN_PAYMENT_STATUSES } from '../payment-state-machine';
import { inOrderTransaction, PROVIDER_ANSWER_RETRIES } from './order-transaction';
import type { PaymentReconciler } from './payment-reconciler';
import type { StatusChangeSink } from './status-change';

/** Provider ids learned from a synchronous Stripe answer. */
export interface LearnedIds {
  sessionId?: string;
  providerPaymentId?: string;
  chargeId?: string;
}

/** An order and its open Stripe attempts, read outside any transaction (Stripe calls happen in between). */
export async function loadOpenableOrder(em: EntityManager, orderId: string): Promise<OrderEntity> {
  const order = await em.fork().findOne(OrderEntity, { id: orderId }, { populate: ['items', 'payments'] });
  if (!order) throw new NotFoundError('Order', orderId);
  assertOpenable(order);
  return order;
}

export function assertOpenable(order: OrderEntity): void {
  if (!isPaymentOpenable(order.status)) {
    throw new ConflictError(`Order ${order.id} is ${order.status}; a payment can start only from CREATED, PENDING, REQUIRES_ACTION, FAILED or EXPIRED`, { status: order.status });
  }
}

/** Stripe attempts of the order that are still open (their customer could still pay them). */
export function openStripeAttempts(order: OrderEntity): PaymentEntity[] {
  return order.payments.getItems().filter((p) => p.provider === PaymentProvider.STRIPE && OPEN_PAYMENT_STATUSES.includes(p.status));
}

/** An attempt whose Stripe create call never got an answer: the same idempotency key must be retried. */
export function createCallUnanswered(payment: PaymentEntity): boolean {
  return !payment.providerSessionId && !payment.providerPaymentId;
}

/**
 * Applies a synchronous Stripe answer exactly as a webhook would (PaymentReconciler), after
 * storing the provider ids it taught us, in one transaction. Actions are pinned to our attempt.
 */
export async function applyStripeAnswer(
  em: EntityManager,
  sink: StatusChangeSink,
  reconciler: PaymentReconciler,
  paymentId: string,
  ids: LearnedIds,
  actions: PaymentAction[],
  source: string,
): Promise<void> {
  await inOrderTransaction(em, sink, async (uow) => {
    const payment = await uow.em.findOneOrFail(PaymentEntity, { id: paymentId }, { populate: ['order'] });
    payment.providerSessionId ??= ids.sessionId ?? null;
    payment.providerPaymentId ??= ids.providerPaymentId ?? null;
    payment.providerChargeId ??= ids.chargeId ?? null;
    for (const action of actions) {
      const pinned = 'ref' in action ? { ...action, ref: { ...action.ref, paymentId } as PaymentRef } : action;
      await reconciler.apply(uow, PaymentProvider.STRIPE, pinned, source);
    }
  }, { retriesOnConflict: PROVIDER_ANSWER_RETRIES });
}

/**
 * Closes an open Stripe attempt before another may start (never two payable attempts): an open
 * Checkout Session is expired, a PaymentIntent awaiting 3-D Secure is canceled. Whatever Stripe
 * answers (it may turn out to be paid already) is applied as a fact.
 */
export async function closeStripeAttempt(
  stripe: StripeGateway,
  apply: (paymentId: string, ids: LearnedIds, actions: PaymentAction[]) => Promise<void>,
  payment: PaymentEntity,
): Promise<void> {
  if (payment.providerSessionId) {
    const view: CheckoutSessionView = await stripe.expireCheckoutSession(payment.providerSessionId, `expire-${payment.id}`);
    return apply(payment.id, { sessionId: view.sessionId }, view.actions);
  }
  if (payment.providerPaymentId) {
    const outcome = await stripe.cancelPaymentIntent(payment.providerPaymentId, `cancel-${payment.id}`);
    return apply(payment.id, { providerPaymentId: outcome.providerPaymentId, chargeId: outcome.chargeId }, outcome.actions);
  }
}

/** Which method an attempt used, for messages. */
export function methodLabel(method: PaymentMethod): string {
  return method === PaymentMethod.STRIPE_CHECKOUT ? 'createCheckoutSession' : 'chargeWithToken';
}
