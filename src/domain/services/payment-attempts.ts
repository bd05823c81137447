import type { EntityManager } from '@mikro-orm/core';
import { OrderEntity, PaymentEntity, type OrderItemEntity } from '../../db/entities';
import { ConflictError, NotFoundError } from '../errors';
import { isPaymentOpenable } from '../order-state-machine';
import { OrderStatus } from '../../model/order-status';
import { OPEN_PAYMENT_STATUSES } from '../payment-state-machine';
import { CaptureMethod, PaymentMethod, PaymentProvider } from '../../model/payment-types';
import type { AttemptAnswer } from '../providers/payment-provider';
import type { PaymentAction, PaymentRef } from '../providers/provider-events';
import type { PaymentProviders } from '../providers/provider-registry';
import { CLOSED_IN_OUR_RECORDS, supersedeAttemptsClosedInOurRecords } from './attempt-supersede';
import { inOrderTransaction, PROVIDER_ANSWER_RETRIES } from './order-transaction';
import { assertNoOtherMover } from './payment-claim';
import type { PaymentReconciler } from './payment-reconciler';
import type { StatusChangeSink } from '../../model/status-change';

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
  retry?: PaymentEntity;
  /** Stored on the attempt when the money moves only when captured (MANUAL). */
  captureMethod?: CaptureMethod | null;
}

/** The attempt opened: its id, and what it is for (the provider is called with these). */
export interface OpenedAttempt {
  paymentId: string;
  amount: number;
  currency: string;
}

/**
 * The payment-attempt lifecycle, for every provider (payment-claim.ts is the rule it keeps):
 * an attempt is opened only on an order that can take a payment, after every other open attempt
 * is closed — at its provider through the provider contract (`closeAttempt`), or in our own
 * records for a provider whose attempts move no money until we capture them — and a provider's
 * answer is recorded as facts, in a transaction retried when a webhook wrote the order meanwhile.
 */
export class PaymentAttempts {
  constructor(
    private readonly em: EntityManager,
    private readonly sink: StatusChangeSink,
    private readonly providers: PaymentProviders,
    private readonly reconciler: PaymentReconciler,
  ) {}

  /** The order with its lines and attempts, read outside any transaction (provider calls come in between). */
  async loadOpenable(orderId: string): Promise<OrderEntity> {
    const order = await this.em.fork().findOne(OrderEntity, { id: orderId }, { populate: ['items', 'payments'] });
    if (!order) throw new NotFoundError('Order', orderId);
    assertOpenable(order);
    return order;
  }

  /** Closes one open attempt at its provider and records what the answer proves (it may be paid already). */
  async close(attempt: PaymentEntity, source: string): Promise<void> {
    const adapter = this.providers.get(attempt.provider);
    const ref: PaymentRef = { paymentId: attempt.id, sessionId: attempt.providerSessionId ?? undefined, providerPaymentId: attempt.providerPaymentId ?? undefined };
    const answer = await adapter.closeAttempt?.({ paymentId: attempt.id, ref });
    if (answer) await this.record(attempt.provider, attempt.id, answer, source);
  }

  /**
   * Closes, at their providers, the order's open attempts of every provider but `except`, so that
   * another attempt (or the cancellation) is the only thing left. An attempt whose create call
   * never got an answer blocks this: it may have charged.
   */
  async closeOpenAttempts(orderId: string, source: string, except?: PaymentProvider): Promise<void> {
    // No configured provider closes anything with a call: nothing to read either.
    if (!Object.values(PaymentProvider).some((p) => p !== except && this.closesAtProvider(p))) return;
    const order = await this.em.fork().findOne(OrderEntity, { id: orderId }, { populate: ['payments'] });
    if (!order) return;
    for (const attempt of openAttempts(order)) {
      if (attempt.provider === except || !this.closesAtProvider(attempt.provider)) continue;
      if (createCallUnanswered(attempt)) throw unknownOutcome(attempt);
      await this.close(attempt, source);
    }
  }

  /**
   * The claim of payment-claim.ts: stores the attempt (or re-opens the unanswered one) and moves
   * the order to PENDING in one transaction, before the provider is called. Attempts closed in
   * our records are superseded in the same commit; an attempt of the same provider still open
   * at the provider, or any other that may move money, is a CONFLICT.
   */
  async open(request: OpenAttempt): Promise<OpenedAttempt> {
    const { orderId, provider, method, source, retry } = request;
    return inOrderTransaction(this.em, this.sink, async (uow) => {
      const order = await uow.em.findOne(OrderEntity, { id: orderId }, { populate: ['payments'] });
      if (!order) throw new NotFoundError('Order', orderId);
      assertOpenable(order);
      const stillOpen = openAttempts(order).filter((p) => p.provider === provider && this.closesAtProvider(p.provider));
      // Touching the order bumps its version: two requests racing here cannot both commit.
      order.updatedAt = new Date();
      if (retry) {
        if (!stillOpen.some((p) => p.id === retry.id)) throw new ConflictError(`Payment attempt ${retry.id} changed meanwhile; retry`);
        uow.record(order, 'PAYMENT_RETRIED', source, `retrying ${providerName(provider)} attempt ${retry.id} with its idempotency key`);
        return { paymentId: retry.id, amount: retry.amount, currency: retry.currency };
      }
      if (stillOpen.length > 0) throw new ConflictError(`Order ${orderId} already has an open ${providerName(provider)} payment attempt; retry`);
      supersedeAttemptsClosedInOurRecords(uow, order, source, request.supersededBy ?? request.wanted);
      assertNoOtherMover(order, undefined, request.wanted);
      const payment = uow.em.create(PaymentEntity, {
        order, provider, method, amount: order.amount, currency: order.currency, ...(request.captureMethod !== undefined ? { captureMethod: request.captureMethod } : {}),
      });
      order.payments.add(payment);
      uow.em.persist(payment);
      if (order.status !== OrderStatus.PENDING) uow.transition(order, OrderStatus.PENDING, source, request.pendingNote);
      uow.record(order, 'PAYMENT_STARTED', source, `${request.label} ${payment.id}`);
      return { paymentId: payment.id, amount: payment.amount, currency: payment.currency };
    });
  }

  /**
   * Records a provider's answer about our attempt exactly as its webhook would be applied (the
   * PaymentReconciler), after storing the ids it taught us, in one transaction re-run when the
   * provider's webhook wrote the order at the same moment. Facts are pinned to our attempt.
   */
  async record(provider: PaymentProvider, paymentId: string, answer: AttemptAnswer, source: string): Promise<void> {
    const { ids, actions } = answer;
    await inOrderTransaction(this.em, this.sink, async (uow) => {
      const payment = await uow.em.findOneOrFail(PaymentEntity, { id: paymentId }, { populate: ['order'] });
      payment.providerSessionId ??= ids.sessionId ?? null;
      payment.providerPaymentId ??= ids.providerPaymentId ?? null;
      payment.providerChargeId ??= ids.chargeId ?? null;
      for (const action of actions) {
        const pinned = 'ref' in action ? { ...action, ref: { ...action.ref, paymentId } as PaymentRef } : action;
        await this.reconciler.apply(uow, provider, pinned, source);
      }
    }, { retriesOnConflict: PROVIDER_ANSWER_RETRIES });
  }

  /** Applies provider facts as they are, in one transaction re-run when a webhook wrote the order meanwhile. */
  async recordFacts(provider: PaymentProvider, actions: PaymentAction[], source: string): Promise<void> {
    await inOrderTransaction(this.em, this.sink, async (uow) => {
      for (const action of actions) await this.reconciler.apply(uow, provider, action, source);
    }, { retriesOnConflict: PROVIDER_ANSWER_RETRIES });
  }

  /** Is an attempt of this provider closed by a provider call (not only in our records)? Unconfigured: left alone. */
  private closesAtProvider(provider: PaymentProvider): boolean {
    return !CLOSED_IN_OUR_RECORDS.has(provider) && this.providers.has(provider);
  }
}

/** The same refusal, whatever the provider: the order's status does not let a payment start. */
export function assertOpenable(order: OrderEntity): void {
  if (!isPaymentOpenable(order.status)) {
    throw new ConflictError(`Order ${order.id} is ${order.status}; a payment can start only from CREATED, PENDING, REQUIRES_ACTION, FAILED or EXPIRED`, { status: order.status });
  }
}

/** The order's attempts that are still open (their customer could still pay them). */
export function openAttempts(order: OrderEntity, provider?: PaymentProvider): PaymentEntity[] {
  return order.payments.getItems().filter((p) => (provider === undefined || p.provider === provider) && OPEN_PAYMENT_STATUSES.includes(p.status));
}

/** An attempt whose create call never got an answer: the same idempotency key must be retried. */
export function createCallUnanswered(payment: PaymentEntity): boolean {
  return !payment.providerSessionId && !payment.providerPaymentId;
}

/** CONFLICT: the attempt's create call got no answer; its own mutation, called again, finishes it. */
export function unknownOutcome(attempt: PaymentEntity): ConflictError {
  const name = providerName(attempt.provider);
  return new ConflictError(
    `The outcome of ${name} attempt ${attempt.id} is still unknown (${name} did not answer); call ${MUTATION_OF[attempt.method]} again with the same input to finish it first`,
    { paymentId: attempt.id },
  );
}

/** One line of an order, as providers are told it. */
export function lineOf(item: OrderItemEntity) {
  return { sku: item.sku, name: item.name, unitAmount: item.unitAmount, quantity: item.quantity };
}

const MUTATION_OF: Record<PaymentMethod, string> = {
  [PaymentMethod.STRIPE_CHECKOUT]: 'createCheckoutSession',
  [PaymentMethod.STRIPE_CARD]: 'chargeWithToken',
  [PaymentMethod.PAYPAL]: 'createPayPalOrder',
};

function providerName(provider: PaymentProvider): string {
  return provider === PaymentProvider.STRIPE ? 'Stripe' : 'PayPal';
}
