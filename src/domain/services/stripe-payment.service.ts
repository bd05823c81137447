import type { OrderRecord } from '../order-record';
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { OrderEntity, PaymentEntity, type OrderItemEntity } from '../../db/entities';
import type { PaymentAction } from '../../providers/provider-events';
import type { AppProviders } from '../../providers/create-providers';
import { BadUserInputError, ConflictError, ProviderError } from '../errors';
import { OrderStatus } from '../order-status';
import { CaptureMethod, PaymentMethod, PaymentProvider } from '../payment-types';
import { validateRedirectUrl, type RedirectPolicy } from '../redirect-urls';
import type { OrderService } from './order.service';
import { supersedeOpenPayPalAttempts } from './attempt-supersede';
import { inOrderTransaction } from './order-transaction';
import { assertNoOtherMover, assertNothingUnclosable } from './payment-claim';
import type { PaymentReconciler } from './payment-reconciler';
import type { StatusChangeSink } from './status-change';
import {
  applyStripeAnswer, assertOpenable, closeStripeAttempt, isOutcomeUnknown, loadOpenableOrder, methodLabel, openStripeAttempts, type LearnedIds,
} from './stripe-attempts';

const TOKEN = /^(tok|pm)_[A-Za-z0-9_]{1,200}$/;

export interface StripePaymentSettings {
  redirects: RedirectPolicy;
  /** Base URL of this service as the customer's browser sees it (3-D Secure returns to the storefront's `<base>/order.html?id=…`). */
  publicUrl: () => string;
}

export interface CheckoutSessionResult {
  sessionId: string;
  url: string;
  order: OrderRecord;
}

export interface CardChargeResult {
  order: OrderRecord;
  chargeId: string | null;
  requiresAction: boolean;
  clientSecret: string | null;
  nextActionUrl: string | null;
}

/**
 * Stripe Checkout and card-token payments. Every attempt follows the same order, so a crash or a
 * timeout at any point leaves something a retry can finish without a second charge:
 * (1) close or reuse what is still open at Stripe, (2) store the attempt and move the order to
 * PENDING in one transaction, (3) call Stripe with an idempotency key derived from the attempt's
 * id, (4) apply Stripe's answer through the PaymentReconciler, exactly as a webhook would.
 */
export class StripePaymentService {
  constructor(
    private readonly em: EntityManager,
    private readonly sink: StatusChangeSink,
    private readonly providers: AppProviders,
    private readonly reconciler: PaymentReconciler,
    private readonly orders: OrderService,
    private readonly settings: StripePaymentSettings,
  ) {}

  async createCheckoutSession(orderId: string, successUrl: string, cancelUrl: string, captureMethod: CaptureMethod = CaptureMethod.AUTOMATIC): Promise<CheckoutSessionResult> {
    const source = 'mutation:createCheckoutSession';
    validateRedirectUrl(successUrl, 'input.successUrl', this.settings.redirects);
    validateRedirectUrl(cancelUrl, 'input.cancelUrl', this.settings.redirects);
    const stripe = this.providers.stripe();
    const order = await loadOpenableOrder(this.em, orderId);
    assertNothingUnclosable(order, 'a Checkout Session');
    let retry: PaymentEntity | undefined;
    for (const attempt of openStripeAttempts(order)) {
      if (isOutcomeUnknown(attempt)) {
        if (attempt.method !== PaymentMethod.STRIPE_CHECKOUT) throw unknownOutcome(attempt);
        retry = attempt;
        continue;
      }
      if (attempt.providerSessionId) {
        // An open session with the same redirects is simply handed out again: still one payable session.
        const view = await stripe.retrieveCheckoutSession(attempt.providerSessionId);
        // (A session is handed out again only for an AUTOMATIC request: a MANUAL one always gets a session that only authorizes.)
        if (view.status === 'open' && view.url && view.successUrl === successUrl && view.cancelUrl === cancelUrl && captureMethod === CaptureMethod.AUTOMATIC) {
          return { sessionId: view.sessionId, url: view.url, order: await this.orders.getOrderOrFail(orderId) };
        }
      }
      await closeStripeAttempt(stripe, this.applier(source), attempt);
    }
    const paymentId = await this.openAttempt(orderId, PaymentMethod.STRIPE_CHECKOUT, retry, source);
    const view = await this.callStripe(paymentId, Boolean(retry), source, () =>
      stripe.createCheckoutSession({
        orderId,
        paymentId,
        currency: order.currency,
        lines: order.items.getItems().map(line),
        successUrl,
        cancelUrl,
        customerEmail: order.customerEmail,
        idempotencyKey: `checkout-${paymentId}`,
        captureMethod: captureMethod === CaptureMethod.MANUAL ? 'manual' : 'automatic',
      }),
    );
    await this.applier(source)(paymentId, { sessionId: view.sessionId }, view.actions);
    if (view.status !== 'open' || !view.url) {
      throw new ConflictError(`Checkout Session ${view.sessionId} is already ${view.status}; the order is ${(await this.orders.getOrderOrFail(orderId)).status}`);
    }
    return { sessionId: view.sessionId, url: view.url, order: await this.orders.getOrderOrFail(orderId) };
  }

  async chargeWithToken(orderId: string, token: string, returnUrl?: string | null, captureMethod: CaptureMethod = CaptureMethod.AUTOMATIC): Promise<CardChargeResult> {
    const source = 'mutation:chargeWithToken';
    if (typeof token !== 'string' || !TOKEN.test(token)) {
      throw new BadUserInputError('token must be a Stripe card token (tok_…) or PaymentMethod id (pm_…)', 'input.token');
    }
    const returnTo = returnUrl
      ? validateRedirectUrl(returnUrl, 'input.returnUrl', this.settings.redirects)
      : `${this.settings.publicUrl().replace(/\/$/, '')}/order.html?id=${encodeURIComponent(orderId)}&via=card`;
    const stripe = this.providers.stripe();
    const order = await loadOpenableOrder(this.em, orderId);
    assertNothingUnclosable(order, 'a card charge');
    // A bad token is refused before any other attempt is touched (a refused request changes nothing).
    const paymentMethod = token.startsWith('pm_') ? token : await stripe.paymentMethodFromToken(token, `payment-method-${orderId}-${createHash('sha256').update(token).digest('hex').slice(0, 32)}`);
    let retry: PaymentEntity | undefined;
    for (const attempt of openStripeAttempts(order)) {
      if (isOutcomeUnknown(attempt)) {
        if (attempt.method !== PaymentMethod.STRIPE_CARD) throw unknownOutcome(attempt);
        retry = attempt;
      } else {
        await closeStripeAttempt(stripe, this.applier(source), attempt);
      }
    }
    const paymentId = await this.openAttempt(orderId, PaymentMethod.STRIPE_CARD, retry, source);
    const outcome = await this.callStripe(paymentId, Boolean(retry), source, () =>
      stripe.chargeCard({
        orderId, paymentId, amount: order.amount, currency: order.currency, paymentMethod, returnUrl: returnTo, customerEmail: order.customerEmail, idempotencyKey: `charge-${paymentId}`,
        captureMethod: captureMethod === CaptureMethod.MANUAL ? 'manual' : 'automatic',
      }),
    );
    // The decline is committed (order FAILED, attempt FAILED) before the error is returned.
    await this.applier(source)(paymentId, { providerPaymentId: outcome.providerPaymentId, chargeId: outcome.chargeId }, outcome.actions);
    if (outcome.decline) throw new ProviderError(outcome.decline.message, 'STRIPE', outcome.decline.code);
    return {
      order: await this.orders.getOrderOrFail(orderId),
      chargeId: outcome.chargeId ?? null,
      requiresAction: outcome.requiresAction,
      clientSecret: outcome.clientSecret ?? null,
      nextActionUrl: outcome.nextActionUrl ?? null,
    };
  }

  /**
   * Closes every open Stripe attempt of the order (expires sessions, cancels PaymentIntents) so
   * that another provider's attempt is the only payable one. An attempt whose outcome Stripe never
   * told us blocks this: it may have charged.
   */
  async closeOpenAttempts(orderId: string, source: string): Promise<void> {
    if (!this.providers.has(PaymentProvider.STRIPE)) return;
    const order = await this.em.fork().findOne(OrderEntity, { id: orderId }, { populate: ['payments'] });
    if (!order) return;
    for (const attempt of openStripeAttempts(order)) {
      if (isOutcomeUnknown(attempt)) throw unknownOutcome(attempt);
      await closeStripeAttempt(this.providers.stripe(), this.applier(source), attempt);
    }
  }

  /**
   * The claim of payment-claim.ts for Stripe: stores the attempt (or re-opens the unanswered one)
   * and moves the order to PENDING in one transaction, before Stripe is called.
   */
  private async openAttempt(orderId: string, method: PaymentMethod, retry: PaymentEntity | undefined, source: string): Promise<string> {
    return inOrderTransaction(this.em, this.sink, async (uow) => {
      const order = await uow.em.findOneOrFail(OrderEntity, { id: orderId }, { populate: ['payments'] });
      assertOpenable(order);
      const open = order.payments.getItems().filter((p) => openStripeAttemptIds(order).includes(p.id));
      // Touching the order bumps its version: two requests racing here cannot both commit.
      order.updatedAt = new Date();
      if (retry) {
        if (!open.some((p) => p.id === retry.id)) throw new ConflictError(`Payment attempt ${retry.id} changed meanwhile; retry`);
        uow.record(order, 'PAYMENT_RETRIED', source, `retrying Stripe attempt ${retry.id} with its idempotency key`);
        return retry.id;
      }
      if (open.length > 0) throw new ConflictError(`Order ${orderId} already has an open Stripe payment attempt; retry`);
      supersedeOpenPayPalAttempts(uow, order, source, `a Stripe ${method} attempt`);
      // The claim (payment-claim.ts): this attempt is stored before Stripe is called, and only if no other may move money.
      assertNoOtherMover(order, undefined, `a Stripe ${method} attempt`);
      const payment = uow.em.create(PaymentEntity, { order, provider: PaymentProvider.STRIPE, method, amount: order.amount, currency: order.currency });
      order.payments.add(payment);
      uow.em.persist(payment);
      if (order.status !== OrderStatus.PENDING) uow.transition(order, OrderStatus.PENDING, source);
      uow.record(order, 'PAYMENT_STARTED', source, `Stripe ${method} attempt ${payment.id}`);
      return payment.id;
    });
  }

  /**
   * Runs one Stripe call for an attempt. An unknown outcome (timeout, 5xx) leaves the attempt open
   * so the next call reuses its key; a definite refusal of a new attempt fails it. A refusal of a
   * retried attempt (e.g. different parameters under the same key) leaves it open: the first
   * request's outcome is still unknown.
   */
  private async callStripe<T>(paymentId: string, retried: boolean, source: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ProviderError && !error.retryable && !retried) {
        await this.applier(source)(paymentId, {}, [{ kind: 'payment_failed', ref: { paymentId }, code: error.providerCode, message: error.message }]);
      }
      throw error;
    }
  }

  private applier(source: string) {
    return (paymentId: string, ids: LearnedIds, actions: PaymentAction[]) =>
      applyStripeAnswer(this.em, this.sink, this.reconciler, paymentId, ids, actions, source);
  }

}

function openStripeAttemptIds(order: OrderEntity): string[] {
  return openStripeAttempts(order).map((p) => p.id);
}

function line(item: OrderItemEntity) {
  return { name: item.name, unitAmount: item.unitAmount, quantity: item.quantity };
}

function unknownOutcome(attempt: PaymentEntity): ConflictError {
  return new ConflictError(
    `The outcome of Stripe attempt ${attempt.id} is still unknown (Stripe did not answer); call ${methodLabel(attempt.method)} again with the same input to finish it first`,
    { paymentId: attempt.id },
  );
}
