import type { OrderRecord } from '../../model/order-record';
import type { EntityManager } from '@mikro-orm/core';
import { OrderEntity, PaymentEntity } from '../../db/entities';
import type { PaymentProviders } from '../providers/provider-registry';
import type { PaymentAction } from '../providers/provider-events';
import { BadUserInputError, ConflictError, NotFoundError, ProviderError } from '../errors';
import { formatMoney } from '../money';
import { OrderStatus } from '../../model/order-status';
import { PaymentProvider, PaymentStatus } from '../../model/payment-types';
import type { OrderService } from './order.service';
import { inOrderTransaction, PROVIDER_ANSWER_RETRIES } from './order-transaction';
import { authorizationOpen } from './authorization-captures';
import { claimCapture, PayPalAuthorization, type PayPalCaptureClaim } from './paypal-authorization';
import { assertCapturableOrder, assertNotCapturedBefore, claimStripeCapture, requireProviderId } from './capture-claims';
import type { StatusChangeSink } from '../../model/status-change';
import type { PaymentAttempts } from './payment-attempts';

/**
 * Manual capture: an AUTHORIZED order's held funds are captured (all or part; the rest released)
 * or voided. Each follows payment-claim.ts: the capture is claimed on the order (the amount stored
 * on the attempt, the order's version bumped) before the provider is called with a key derived
 * from the attempt, so two admins capturing at once make one capture, and a retry finishes it.
 * The provider's answer is applied as a fact, exactly as its webhook would be. Stripe takes one
 * capture per PaymentIntent; PayPal takes several until a final one (paypal-authorization.ts): with
 * `finalCapture: false` the order is PAID with what was captured and the rest stays capturable.
 */
export class CaptureService {
  private readonly paypal: PayPalAuthorization;

  constructor(
    private readonly em: EntityManager,
    private readonly sink: StatusChangeSink,
    private readonly providers: PaymentProviders,
    private readonly attempts: PaymentAttempts,
    private readonly orders: OrderService,
  ) {
    this.paypal = new PayPalAuthorization(providers, attempts);
  }

  /**
   * `finalCapture` (PayPal only; default true): false leaves the rest of the authorization open
   * for further captures. Stripe captures a PaymentIntent once, so false is refused for it.
   */
  async capturePayment(orderId: string, amount?: number | null, finalCapture?: boolean | null): Promise<OrderRecord> {
    const source = 'mutation:capturePayment';
    if (amount !== undefined && amount !== null && (!Number.isSafeInteger(amount) || amount < 1)) {
      throw new BadUserInputError(`amount must be a positive whole number of minor units, got ${amount}`, 'input.amount');
    }
    const claim = await inOrderTransaction(this.em, this.sink, async (uow) => {
      const order = await loadOrder(uow.em, orderId);
      // A PayPal authorization still capturable (or with a capture under way): PayPal takes several captures.
      const held = order.payments.getItems().find((p) => p.captureClaim || authorizationOpen(p));
      if (held && (held.status !== PaymentStatus.AUTHORIZED || order.status === OrderStatus.AUTHORIZED)) {
        assertCapturableOrder(order);
        const joining = Boolean(held.captureClaim);
        const paypal = claimCapture(order, held, requireProviderId(held), { amount, finalCapture });
        order.updatedAt = new Date();
        if (!joining) {
          uow.record(order, 'CAPTURE_REQUESTED', source, `capturing ${formatMoney(paypal.amount, order.currency)}${paypal.final ? ' (final capture)' : ''} of ${formatMoney(held.amount, order.currency)} authorized`);
        }
        return { paypal };
      }
      // A retry of a capture that meanwhile completed (its answer was lost, its webhook arrived) is answered, not refused.
      if (alreadyCaptured(order, amount)) return undefined;
      assertNotCapturedBefore(order, amount);
      const payment = authorizedAttempt(order, 'captured');
      if (finalCapture === false) {
        throw new BadUserInputError(`finalCapture: false is for PayPal only: Stripe captures a PaymentIntent once (its uncaptured rest is released), so order ${orderId} takes one capture`, 'input.finalCapture');
      }
      return { stripe: claimStripeCapture(uow, order, payment, amount, source) };
    });
    if (claim?.paypal) {
      await this.paypal.capture(claim.paypal, source, (why) => this.settlePayPalClaim(claim.paypal, source, why));
    } else if (claim?.stripe) {
      await this.captureAtStripe(claim.stripe, source);
    }
    return this.reload(orderId);
  }

  private async captureAtStripe(claim: { paymentId: string; providerPaymentId: string; amount: number }, source: string): Promise<void> {
    let answer;
    try {
      answer = await this.providers.stripe().capturePaymentIntent(claim.providerPaymentId, claim.amount, `capture-${claim.paymentId}`);
    } catch (error) {
      // A definite refusal (e.g. the authorization lapsed) frees the claim; an unknown outcome keeps it for the retry.
      if (error instanceof ProviderError && !error.retryable) await this.releaseClaim(claim.paymentId, source, error.message);
      throw error;
    }
    await this.apply(claim.paymentId, answer.actions, source);
  }

  /** Releases an AUTHORIZED order's held funds (→ CANCELED), or the uncaptured rest of a PayPal authorization captured in part (the order stays PAID). */
  async voidPayment(orderId: string): Promise<OrderRecord> {
    const source = 'mutation:voidPayment';
    const target = await inOrderTransaction(this.em, this.sink, async (uow) => {
      const order = await loadOrder(uow.em, orderId);
      // A PayPal authorization captured in part: voiding it releases the rest; what was captured stays (the order stays PAID).
      const partly = order.payments.getItems().find((p) => p.status === PaymentStatus.SUCCEEDED && authorizationOpen(p));
      const payment = partly ?? authorizedAttempt(order, 'voided');
      const capturing = payment.captureClaim?.amount ?? (partly ? null : payment.capturedAmount);
      if (capturing != null) {
        throw new ConflictError(`A capture of ${formatMoney(capturing, order.currency)} is under way for order ${orderId}; it can no longer be voided`, { paymentId: payment.id });
      }
      order.updatedAt = new Date();
      return { paymentId: payment.id, providerPaymentId: requireProviderId(payment), provider: payment.provider, rest: Boolean(partly) };
    });
    if (target.provider === PaymentProvider.PAYPAL) {
      await this.paypal.void(target.paymentId, target.providerPaymentId, source);
    } else {
      const answer = await this.providers.stripe().cancelPaymentIntent(target.providerPaymentId, `void-${target.paymentId}`);
      await this.apply(target.paymentId, answer.actions, source);
    }
    // The provider's answer (the canceled PaymentIntent, the voided authorization) is the void's fact and settles the order CANCELED;
    // an answer that shows the money captured after all means the void came too late.
    const after = await this.reload(orderId);
    const payment = after.payments.find((p) => p.id === target.paymentId);
    if (payment?.status === PaymentStatus.SUCCEEDED && !target.rest) throw new ConflictError(`Order ${orderId} was captured meanwhile; it cannot be voided`, { paymentId: payment.id });
    return after;
  }

  private async releaseClaim(paymentId: string, source: string, why: string): Promise<void> {
    await inOrderTransaction(this.em, this.sink, async (uow) => {
      const payment = await uow.em.findOneOrFail(PaymentEntity, { id: paymentId }, { populate: ['order'] });
      if (payment.status !== PaymentStatus.AUTHORIZED) return;
      payment.capturedAmount = null;
      payment.order.updatedAt = new Date();
      uow.record(payment.order, 'CAPTURE_REFUSED', source, why);
    });
  }

  /** PayPal answered the claimed capture: the claim ends (a refusal says why in the order's log). */
  private async settlePayPalClaim(claim: PayPalCaptureClaim, source: string, why?: string): Promise<void> {
    await inOrderTransaction(this.em, this.sink, async (uow) => {
      const payment = await uow.em.findOneOrFail(PaymentEntity, { id: claim.paymentId }, { populate: ['order'] });
      if (payment.captureClaim?.requestId !== claim.requestId) return;
      payment.captureClaim = null;
      payment.order.updatedAt = new Date();
      if (why) uow.record(payment.order, 'CAPTURE_REFUSED', source, why);
    }, { retriesOnConflict: PROVIDER_ANSWER_RETRIES });
  }

  private apply(paymentId: string, actions: PaymentAction[], source: string): Promise<void> {
    return this.attempts.record(PaymentProvider.STRIPE, paymentId, { ids: {}, actions }, source);
  }

  private reload(orderId: string): Promise<OrderRecord> {
    return this.orders.getOrderOrFail(orderId);
  }
}

async function loadOrder(em: EntityManager, orderId: string): Promise<OrderEntity> {
  const order = await em.findOne(OrderEntity, { id: orderId }, { populate: ['payments'] });
  if (!order) throw new NotFoundError('Order', orderId);
  return order;
}

/** Did a manual capture of exactly this amount (or, with none given, of everything authorized) already succeed? */
function alreadyCaptured(order: OrderEntity, amount: number | null | undefined): boolean {
  return order.payments.getItems().some((p) => p.status === PaymentStatus.SUCCEEDED && p.capturedAmount != null && p.capturedAmount === (amount ?? p.amount));
}

/** The attempt holding the order's funds; CONFLICT naming the order's status when there is none. */
function authorizedAttempt(order: OrderEntity, wanted: 'captured' | 'voided'): PaymentEntity {
  const payment = order.payments.getItems().find((p) => p.status === PaymentStatus.AUTHORIZED);
  if (order.status !== OrderStatus.AUTHORIZED || !payment) {
    throw new ConflictError(`Order ${order.id} is ${order.status}: only an AUTHORIZED order (funds held by a MANUAL capture) can be ${wanted}`, { status: order.status });
  }
  return payment;
}
