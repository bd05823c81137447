import type { OrderRecord } from '../../model/order-record';
import type { EntityManager } from '@mikro-orm/core';
import { OrderEntity, PaymentEntity } from '../../db/entities';
import type { PaymentAction } from '../providers/provider-events';
import type { PaymentProviders } from '../providers/provider-registry';
import { ConflictError, NotFoundError, ProviderError } from '../errors';
import { OrderStatus } from '../../model/order-status';
import { CaptureMethod, PaymentMethod, PaymentProvider, PaymentStatus } from '../../model/payment-types';
import { movePayment } from '../payment-state-machine';
import { validateRedirectUrl, type RedirectPolicy } from '../redirect-urls';
import type { OrderService } from './order.service';
import { inOrderTransaction, PROVIDER_ANSWER_RETRIES } from './order-transaction';
import { assertNoOtherMover, assertNothingUnclosable, isKeptPayment, newestAttempt } from './payment-claim';
import type { StatusChangeSink } from '../../model/status-change';
import { assertOpenable, lineOf, type PaymentAttempts } from './payment-attempts';

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
    private readonly providers: PaymentProviders,
    private readonly attempts: PaymentAttempts,
    private readonly orders: OrderService,
    private readonly redirects: RedirectPolicy,
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
    const current = await this.attempts.loadOpenable(orderId);
    const items = current.items.map(lineOf);
    paypal.assertPayable({ currency: current.currency, items });
    assertNothingUnclosable(current, 'a new PayPal order');

    const closed = await this.attempts.closeOpenAttempts(orderId, source, PaymentProvider.PAYPAL, current);
    const attempt = await this.attempts.open({
      orderId, provider: PaymentProvider.PAYPAL, method: PaymentMethod.PAYPAL, source,
      // Never two capturable PayPal orders: only the newest attempt is ever captured.
      wanted: 'a new PayPal order', supersededBy: 'a newer PayPal order', label: 'PayPal attempt', pendingNote: 'PayPal order requested',
      captureMethod: captureMethod === CaptureMethod.MANUAL ? CaptureMethod.MANUAL : null,
    }, closed ? undefined : current);

    let created;
    try {
      created = await paypal.createOrder({
        ...attempt, items, orderId, returnUrl, cancelUrl, requestId: `paypal-order-${attempt.paymentId}`, captureMethod: captureMethod === CaptureMethod.MANUAL ? 'manual' : 'automatic',
      });
    } catch (error) {
      // Nobody can approve an order we never handed out: the attempt is over, the order payable again.
      const code = error instanceof ProviderError ? error.providerCode : undefined;
      await this.apply([{ kind: 'payment_failed', ref: { paymentId: attempt.paymentId }, code, message: (error as Error).message }], source);
      throw error;
    }
    await this.attempts.noteCreated(orderId, attempt.paymentId, { providerPaymentId: created.paypalOrderId }, source, 'PAYPAL_ORDER_CREATED', `PayPal order ${created.paypalOrderId} (${created.status})`);
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
      if (!movePayment(attempt, PaymentStatus.PROCESSING, 'claim')) throw new ConflictError(`The PayPal attempt ${attempt.id} cannot be captured while ${attempt.status}`);
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
      movePayment(payment, claim.previousStatus, 'release');
      payment.updatedAt = new Date();
      payment.order.updatedAt = new Date();
    }, { retriesOnConflict: PROVIDER_ANSWER_RETRIES });
  }

  private apply(actions: PaymentAction[], source: string): Promise<void> {
    return this.attempts.recordFacts(PaymentProvider.PAYPAL, actions, source);
  }
}

/** A fresh PayPal-Request-Id for one capture claim: our attempt id plus when it was claimed. */
function captureRequestId(paymentId: string): string {
  return `paypal-capture-${paymentId}-${Date.now().toString(36)}`;
}

