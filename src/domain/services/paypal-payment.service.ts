import type { OrderRecord } from '../order-record';
import type { EntityManager } from '@mikro-orm/core';
import { OrderEntity, PaymentEntity } from '../../db/entities';
import type { PayPalItem } from '../../providers/paypal/paypal.adapter';
import type { PaymentAction } from '../../providers/provider-events';
import type { AppProviders } from '../../providers/create-providers';
import { ConflictError, NotFoundError, ProviderError } from '../errors';
import { OrderStatus } from '../order-status';
import { CaptureMethod, PaymentMethod, PaymentProvider, PaymentStatus } from '../payment-types';
import { validateRedirectUrl, type RedirectPolicy } from '../redirect-urls';
import type { OrderService } from './order.service';
import { supersedeOpenPayPalAttempts } from './attempt-supersede';
import { inOrderTransaction, PROVIDER_ANSWER_RETRIES } from './order-transaction';
import { assertNoOtherMover, assertNothingUnclosable, isKeptPayment, newestAttempt } from './payment-claim';
import type { PaymentReconciler } from './payment-reconciler';
import type { StatusChangeSink } from './status-change';
import { assertOpenable } from './stripe-attempts';

export interface PayPalOrderResult {
  paypalOrderId: string;
  approveUrl: string;
  order: OrderRecord;
}

/** A capture this request claimed (or joined, when the same capture's outcome is still unknown). */
interface CaptureClaim {
  paymentId: string;
  paypalOrderId: string;
  requestId: string;
  /** The attempt's status before the claim, restored when PayPal definitely refuses the capture. */
  previousStatus: PaymentStatus;
  /** A MANUAL attempt (intent AUTHORIZE) is completed by PayPal's authorize, not a capture. */
  authorizeOnly: boolean;
}

/** PayPal's answers to a concurrent request with the same PayPal-Request-Id: the first one's outcome is still unknown. */
const IN_PROGRESS: ReadonlySet<string> = new Set(['PREVIOUS_REQUEST_IN_PROGRESS', 'DUPLICATE_REQUEST_ID']);

/**
 * PayPal Checkout (Orders v2): create → the buyer approves on PayPal → capture. The capture is
 * claimed first (payment-claim.ts): the attempt becomes PROCESSING with its PayPal-Request-Id in
 * one transaction, so no other attempt of the order may move money until PayPal has answered.
 * PayPal's answer is applied through the PaymentReconciler — the same code path as PayPal's
 * webhooks, so whichever of the answer and the PAYMENT.CAPTURE.* webhook arrives first, the second
 * changes nothing.
 */
export class PayPalPaymentService {
  constructor(
    private readonly em: EntityManager,
    private readonly sink: StatusChangeSink,
    private readonly providers: AppProviders,
    private readonly reconciler: PaymentReconciler,
    private readonly orders: OrderService,
    private readonly redirects: RedirectPolicy,
    /** Closes open attempts at the other provider (Stripe) so only the PayPal order stays payable. */
    private readonly closeOtherProviderAttempts: (orderId: string, source: string) => Promise<void>,
  ) {}

  /**
   * Opens a PayPal order for our order (superseding an open PayPal attempt) and returns where the
   * buyer approves it. Everything that can be checked is checked before anything is closed: a
   * refused request changes nothing.
   */
  async createPayPalOrder(orderId: string, returnUrl: string, cancelUrl: string, captureMethod: CaptureMethod = CaptureMethod.AUTOMATIC): Promise<PayPalOrderResult> {
    const source = 'mutation:createPayPalOrder';
    validateRedirectUrl(returnUrl, 'input.returnUrl', this.redirects);
    validateRedirectUrl(cancelUrl, 'input.cancelUrl', this.redirects);
    const paypal = this.providers.paypal();
    const current = await this.em.fork().findOne(OrderEntity, { id: orderId }, { populate: ['items', 'payments'] });
    if (!current) throw new NotFoundError('Order', orderId);
    assertOpenable(current);
    paypal.assertPayable({ currency: current.currency, items: itemsOf(current) });
    assertNothingUnclosable(current, 'a new PayPal order');

    await this.closeOtherProviderAttempts(orderId, source);
    const attempt = await inOrderTransaction(this.em, this.sink, async (uow) => {
      const order = await uow.em.findOne(OrderEntity, { id: orderId }, { populate: ['items', 'payments'] });
      if (!order) throw new NotFoundError('Order', orderId);
      assertOpenable(order);
      // Never two capturable PayPal orders: only the newest attempt is ever captured.
      supersedeOpenPayPalAttempts(uow, order, source, 'a newer PayPal order');
      assertNoOtherMover(order, undefined, 'a new PayPal order');
      const payment = uow.em.create(PaymentEntity, {
        order, provider: PaymentProvider.PAYPAL, method: PaymentMethod.PAYPAL, amount: order.amount, currency: order.currency,
        captureMethod: captureMethod === CaptureMethod.MANUAL ? CaptureMethod.MANUAL : null,
      });
      uow.em.persist(payment);
      // Touching a PENDING order bumps its version: two concurrent createPayPalOrder cannot both commit.
      if (order.status === OrderStatus.PENDING) order.updatedAt = new Date();
      else uow.transition(order, OrderStatus.PENDING, source, 'PayPal order requested');
      uow.record(order, 'PAYMENT_STARTED', source, `PayPal attempt ${payment.id}`);
      return { paymentId: payment.id, currency: order.currency, amount: order.amount, items: itemsOf(order) };
    });

    let created;
    try {
      created = await paypal.createOrder({
        ...attempt, orderId, returnUrl, cancelUrl, requestId: `paypal-order-${attempt.paymentId}`, captureMethod: captureMethod === CaptureMethod.MANUAL ? 'manual' : 'automatic',
      });
    } catch (error) {
      // Nobody can approve an order we never handed out: the attempt is over, the order payable again.
      const code = error instanceof ProviderError ? error.providerCode : undefined;
      await this.apply([{ kind: 'payment_failed', ref: { paymentId: attempt.paymentId }, code, message: (error as Error).message }], source);
      throw error;
    }
    await inOrderTransaction(this.em, this.sink, async (uow) => {
      const payment = await uow.em.findOneOrFail(PaymentEntity, { id: attempt.paymentId }, { populate: ['order'] });
      payment.providerPaymentId = created.paypalOrderId;
      uow.record(payment.order, 'PAYPAL_ORDER_CREATED', source, `PayPal order ${created.paypalOrderId} (${created.status})`);
    }, { retriesOnConflict: PROVIDER_ANSWER_RETRIES });
    return { paypalOrderId: created.paypalOrderId, approveUrl: created.approveUrl, order: await this.orders.getOrderOrFail(orderId) };
  }

  /**
   * Captures the order's newest attempt, if it is a PayPal one. Idempotent: an order already paid
   * is returned as it is, and a capture whose outcome is unknown is finished with the same
   * PayPal-Request-Id. After a definite refusal (e.g. not approved yet) the claim is released and
   * the next capture uses a new request id, since PayPal replays a stored refusal for a reused one.
   * A decline is committed (attempt FAILED) before PROVIDER_ERROR is raised.
   */
  async capturePayPalOrder(orderId: string, mockResponse?: string): Promise<OrderRecord> {
    const source = 'mutation:capturePayPalOrder';
    const paypal = this.providers.paypal();
    const claim = await this.claimCapture(orderId);
    if (!claim) return this.orders.getOrderOrFail(orderId);
    let outcome;
    try {
      const call = { requestId: claim.requestId, mockResponse };
      outcome = claim.authorizeOnly ? await paypal.authorizeOrder(claim.paypalOrderId, call) : await paypal.captureOrder(claim.paypalOrderId, call);
    } catch (error) {
      if (error instanceof ProviderError && !error.retryable && !IN_PROGRESS.has(error.providerCode ?? '')) {
        await this.releaseClaim(claim);
        throw error;
      }
      if (error instanceof ProviderError) {
        throw new ProviderError(
          `${error.message}. The capture may or may not have happened: call capturePayPalOrder again to finish it (it reuses the same PayPal-Request-Id, so PayPal cannot capture twice); until then no other payment of this order can start`,
          'PAYPAL',
          error.providerCode,
          true,
        );
      }
      throw error;
    }
    const ref = { paymentId: claim.paymentId, providerPaymentId: claim.paypalOrderId };
    await this.apply(outcome.actions.map((a) => (a.kind === 'ignored' ? a : { ...a, ref: { ...a.ref, ...ref } })), source);
    if (outcome.declined) {
      await this.releaseClaim({ ...claim, previousStatus: PaymentStatus.FAILED });
      throw outcome.declined;
    }
    return this.orders.getOrderOrFail(orderId);
  }

  /**
   * Claims the capture (payment-claim.ts) in one transaction; undefined when the order is already
   * paid. Re-run on a concurrent writer: each run decides afresh from what it reads (join, claim or refuse).
   */
  private async claimCapture(orderId: string): Promise<CaptureClaim | undefined> {
    return inOrderTransaction(this.em, this.sink, async (uow) => {
      const order = await uow.em.findOne(OrderEntity, { id: orderId }, { populate: ['payments'] });
      if (!order) throw new NotFoundError('Order', orderId);
      const payments = order.payments.getItems();
      if (payments.some(isKeptPayment)) return undefined;
      const attempt = payments.filter((p) => p.provider === PaymentProvider.PAYPAL && p.providerPaymentId).at(-1);
      if (!attempt?.providerPaymentId) throw new ConflictError(`Order ${orderId} has no PayPal order to capture; call createPayPalOrder first`);
      const newest = newestAttempt(order);
      // A MANUAL attempt already authorized: nothing more to do here (capturePayment takes the money).
      if (attempt.status === PaymentStatus.AUTHORIZED && newest === attempt) return undefined;
      const authorizeOnly = attempt.captureMethod === CaptureMethod.MANUAL;
      if (order.status === OrderStatus.CANCELED || attempt.status === PaymentStatus.CANCELED || attempt.status === PaymentStatus.EXPIRED || newest !== attempt) {
        throw new ConflictError(
          `The PayPal order of order ${orderId} is no longer payable (order ${order.status}, attempt ${attempt.status}${newest !== attempt ? `, superseded by ${newest?.provider} attempt ${newest?.id}` : ''}); create a new one`,
        );
      }
      if (attempt.status === PaymentStatus.PROCESSING) {
        // A capture already claimed whose outcome is unknown (or pending at PayPal): finish that same capture.
        return { paymentId: attempt.id, paypalOrderId: attempt.providerPaymentId, requestId: attempt.captureRequestId ?? captureRequestId(attempt.id), previousStatus: PaymentStatus.OPEN, authorizeOnly };
      }
      assertOpenable(order);
      assertNoOtherMover(order, attempt.id, 'a PayPal capture');
      const previousStatus = attempt.status;
      attempt.status = PaymentStatus.PROCESSING;
      attempt.captureRequestId = captureRequestId(attempt.id);
      attempt.updatedAt = new Date();
      order.updatedAt = new Date();
      return { paymentId: attempt.id, paypalOrderId: attempt.providerPaymentId, requestId: attempt.captureRequestId, previousStatus, authorizeOnly };
    }, { retriesOnConflict: PROVIDER_ANSWER_RETRIES });
  }

  /** After a definite refusal: the attempt is capturable again, with a new request id next time. */
  private async releaseClaim(claim: CaptureClaim): Promise<void> {
    await inOrderTransaction(this.em, this.sink, async (uow) => {
      const payment = await uow.em.findOneOrFail(PaymentEntity, { id: claim.paymentId }, { populate: ['order'] });
      if (payment.captureRequestId !== claim.requestId) return;
      payment.captureRequestId = null;
      if (payment.status === PaymentStatus.PROCESSING) payment.status = claim.previousStatus;
      payment.updatedAt = new Date();
      payment.order.updatedAt = new Date();
    }, { retriesOnConflict: PROVIDER_ANSWER_RETRIES });
  }

  /** Applies provider facts in one transaction, re-run when a webhook changed the order at the same moment. */
  private async apply(actions: PaymentAction[], source: string): Promise<void> {
    await inOrderTransaction(
      this.em,
      this.sink,
      async (uow) => {
        for (const action of actions) await this.reconciler.apply(uow, PaymentProvider.PAYPAL, action, source);
      },
      { retriesOnConflict: PROVIDER_ANSWER_RETRIES },
    );
  }
}

function itemsOf(order: OrderEntity): PayPalItem[] {
  return order.items.getItems().map((i) => ({ sku: i.sku, name: i.name, unitAmount: i.unitAmount, quantity: i.quantity }));
}

/** A fresh PayPal-Request-Id for one capture claim: our attempt id plus when it was claimed. */
function captureRequestId(paymentId: string): string {
  return `paypal-capture-${paymentId}-${Date.now().toString(36)}`;
}

