import type { EntityManager } from '@mikro-orm/core';
import { OrderEntity, PaymentEntity } from '../../db/entities';
import type { PayPalItem } from '../../providers/paypal/paypal.adapter';
import type { PaymentAction } from '../../providers/provider-events';
import type { AppProviders } from '../../providers/create-providers';
import { ConflictError, NotFoundError, ProviderError } from '../errors';
import { isPaymentOpenable } from '../order-state-machine';
import { OrderStatus } from '../order-status';
import { PaymentMethod, PaymentProvider, PaymentStatus } from '../payment-types';
import { validateRedirectUrl, type RedirectPolicy } from '../redirect-urls';
import type { OrderService } from './order.service';
import { supersedeOpenPayPalAttempts } from './attempt-supersede';
import { inOrderTransaction, PROVIDER_ANSWER_RETRIES } from './order-transaction';
import type { PaymentReconciler } from './payment-reconciler';
import type { StatusChangeSink } from './status-change';

export interface PayPalOrderResult {
  paypalOrderId: string;
  approveUrl: string;
  order: OrderEntity;
}

/**
 * PayPal Checkout (Orders v2): create → the buyer approves on PayPal → capture. Each step stores
 * our attempt first, then calls PayPal with a PayPal-Request-Id derived from the attempt's id, then
 * applies PayPal's answer through the PaymentReconciler — the same code path as PayPal's webhooks,
 * so whichever of the capture answer and the PAYMENT.CAPTURE.* webhook arrives first, the second
 * finds the fact already known and changes nothing.
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

  /** Opens a PayPal order for our order (superseding an open PayPal attempt) and returns where the buyer approves it. */
  async createPayPalOrder(orderId: string, returnUrl: string, cancelUrl: string): Promise<PayPalOrderResult> {
    const source = 'mutation:createPayPalOrder';
    validateRedirectUrl(returnUrl, 'input.returnUrl', this.redirects);
    validateRedirectUrl(cancelUrl, 'input.cancelUrl', this.redirects);
    const paypal = this.providers.paypal();
    await this.closeOtherProviderAttempts(orderId, source);
    const attempt = await inOrderTransaction(this.em, this.sink, async (uow) => {
      const order = await uow.em.findOne(OrderEntity, { id: orderId }, { populate: ['items', 'payments'] });
      if (!order) throw new NotFoundError('Order', orderId);
      if (!isPaymentOpenable(order.status)) throw new ConflictError(`Order ${orderId} is ${order.status}; a payment cannot be started`);
      const items: PayPalItem[] = order.items.getItems().map((i) => ({ sku: i.sku, name: i.name, unitAmount: i.unitAmount, quantity: i.quantity }));
      paypal.assertPayable({ currency: order.currency, items });
      if (order.payments.getItems().some((p) => p.status === PaymentStatus.PROCESSING || p.status === PaymentStatus.SUCCEEDED)) {
        throw new ConflictError(`Order ${orderId} has a payment that is being processed; wait for its outcome`);
      }
      // Never two capturable PayPal orders: only the newest attempt is ever captured.
      supersedeOpenPayPalAttempts(uow, order, source, 'a newer PayPal order');
      const payment = uow.em.create(PaymentEntity, {
        order, provider: PaymentProvider.PAYPAL, method: PaymentMethod.PAYPAL, amount: order.amount, currency: order.currency,
      });
      uow.em.persist(payment);
      // Touching a PENDING order bumps its version: two concurrent createPayPalOrder cannot both commit.
      if (order.status === OrderStatus.PENDING) order.updatedAt = new Date();
      else uow.transition(order, OrderStatus.PENDING, source, 'PayPal order requested');
      uow.record(order, 'PAYMENT_STARTED', source, `PayPal attempt ${payment.id}`);
      return { paymentId: payment.id, currency: order.currency, amount: order.amount, items };
    });

    let created;
    try {
      created = await paypal.createOrder({ ...attempt, orderId, returnUrl, cancelUrl, requestId: `paypal-order-${attempt.paymentId}` });
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
    });
    return { paypalOrderId: created.paypalOrderId, approveUrl: created.approveUrl, order: await this.orders.getOrderOrFail(orderId) };
  }

  /**
   * Captures the newest PayPal attempt. Idempotent: an order already paid is returned as it is,
   * and a repeated capture reuses the attempt's PayPal-Request-Id, so PayPal never captures twice.
   * A decline is committed (attempt FAILED) before PROVIDER_ERROR is raised.
   */
  async capturePayPalOrder(orderId: string, mockResponse?: string): Promise<OrderEntity> {
    const source = 'mutation:capturePayPalOrder';
    const paypal = this.providers.paypal();
    const order = await this.orders.getOrderOrFail(orderId);
    const payments = order.payments.getItems();
    if (payments.some((p) => p.status === PaymentStatus.SUCCEEDED)) return order;
    const attempt = payments.filter((p) => p.provider === PaymentProvider.PAYPAL && p.providerPaymentId).at(-1);
    if (!attempt?.providerPaymentId) throw new ConflictError(`Order ${orderId} has no PayPal order to capture; call createPayPalOrder first`);
    if (order.status === OrderStatus.CANCELED || attempt.status === PaymentStatus.CANCELED || attempt.status === PaymentStatus.EXPIRED) {
      throw new ConflictError(`The PayPal order of order ${orderId} is no longer payable (order ${order.status}, attempt ${attempt.status}); create a new one`);
    }
    const outcome = await paypal.captureOrder(attempt.providerPaymentId, { requestId: `paypal-capture-${attempt.id}`, mockResponse });
    const ref = { paymentId: attempt.id, providerPaymentId: attempt.providerPaymentId };
    await this.apply(outcome.actions.map((a) => (a.kind === 'ignored' ? a : { ...a, ref: { ...a.ref, ...ref } })), source);
    if (outcome.declined) throw outcome.declined;
    return this.orders.getOrderOrFail(orderId);
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
