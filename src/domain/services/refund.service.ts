import type { EntityManager } from '@mikro-orm/core';
import { OrderEntity, RefundEntity } from '../../db/entities';
import type { ProviderRegistry } from '../../providers/provider-registry';
import { BadUserInputError, ConflictError, NotFoundError, ProviderError } from '../errors';
import { formatMoney } from '../money';
import { OrderStatus } from '../order-status';
import { PaymentStatus, RefundStatus } from '../payment-types';
import { inOrderTransaction, PROVIDER_ANSWER_RETRIES } from './order-transaction';
import type { PaymentReconciler } from './payment-reconciler';
import type { StatusChangeSink } from './status-change';

const REFUNDABLE: readonly OrderStatus[] = [OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.DISPUTED];

export interface RefundCommand {
  orderId: string;
  /** Minor units; omitted = everything left. */
  amount?: number | null;
  reason?: string | null;
}

/**
 * Refunds in three steps so that no combination of concurrency and failure can refund more
 * than was paid: (1) reserve the amount in a transaction (a PENDING refund counts as spent),
 * (2) call the provider outside the transaction with an idempotency key derived from the
 * refund's id, (3) apply the provider's answer through the reconciler, as a webhook would.
 */
export class RefundService {
  constructor(
    private readonly em: EntityManager,
    private readonly sink: StatusChangeSink,
    private readonly providers: ProviderRegistry,
    private readonly reconciler: PaymentReconciler,
  ) {}

  async refundOrder(command: RefundCommand, source = 'mutation:refundOrder'): Promise<RefundEntity> {
    validate(command);
    const reservation = await inOrderTransaction(this.em, this.sink, async (uow) => {
      const order = await uow.em.findOne(OrderEntity, { id: command.orderId }, { populate: ['payments', 'refunds'] });
      if (!order) throw new NotFoundError('Order', command.orderId);
      if (!REFUNDABLE.includes(order.status)) {
        throw new ConflictError(`Order ${order.id} is ${order.status}; only PAID, PARTIALLY_REFUNDED or DISPUTED orders can be refunded`);
      }
      const payment = order.payments.getItems().filter((p) => p.status === PaymentStatus.SUCCEEDED).at(-1);
      if (!payment) throw new ConflictError(`Order ${order.id} has no captured payment to refund`);
      const reserved = order.refunds
        .getItems()
        .filter((r) => r.payment.id === payment.id && (r.status === RefundStatus.PENDING || r.status === RefundStatus.SUCCEEDED))
        .reduce((sum, r) => sum + r.amount, 0);
      const left = payment.amount - reserved;
      const amount = command.amount ?? left;
      if (left <= 0) throw new ConflictError(`Nothing is left to refund on order ${order.id}`);
      if (amount > left) {
        throw new ConflictError(
          `A refund of ${formatMoney(amount, order.currency)} exceeds the ${formatMoney(left, order.currency)} left to refund on order ${order.id}`,
        );
      }
      const refund = uow.em.create(RefundEntity, { order, payment, amount, currency: order.currency, reason: command.reason ?? null });
      uow.em.persist(refund);
      // Touching the order bumps its version: two reservations racing on one order cannot both commit.
      order.updatedAt = new Date();
      uow.record(order, 'REFUND_REQUESTED', source, `${formatMoney(amount, order.currency)} requested`);
      return {
        refundId: refund.id,
        provider: payment.provider,
        ref: { paymentId: payment.id, providerPaymentId: payment.providerPaymentId ?? undefined, chargeId: payment.providerChargeId ?? undefined },
        amount,
        currency: order.currency,
      };
    });

    const adapter = this.providers.get(reservation.provider);
    try {
      const state = await adapter.refund({
        ref: reservation.ref,
        amount: reservation.amount,
        currency: reservation.currency,
        refundId: reservation.refundId,
        orderId: command.orderId,
        reason: command.reason,
        idempotencyKey: `refund-${reservation.refundId}`,
      });
      // The provider has answered: recording it must not fail because its own webhook (or another
      // refund) wrote the order at the same moment, or the caller would retry a refund that happened.
      await inOrderTransaction(
        this.em,
        this.sink,
        (uow) => this.reconciler.apply(uow, reservation.provider, { kind: 'refund_state', ref: reservation.ref, refund: { ...state, refundId: reservation.refundId } }, source),
        { retriesOnConflict: PROVIDER_ANSWER_RETRIES },
      );
    } catch (error) {
      // A definite refusal frees the reservation; an unknown outcome (timeout) keeps it until a webhook says.
      if (error instanceof ProviderError && !error.retryable) await this.markFailed(reservation.refundId, error.message, source);
      throw error;
    }
    return this.em.fork().findOneOrFail(RefundEntity, { id: reservation.refundId }, { populate: ['payment'] });
  }

  private async markFailed(refundId: string, message: string, source: string): Promise<void> {
    await inOrderTransaction(this.em, this.sink, async (uow) => {
      const refund = await uow.em.findOneOrFail(RefundEntity, { id: refundId }, { populate: ['order'] });
      if (refund.status !== RefundStatus.PENDING) return;
      refund.status = RefundStatus.FAILED;
      refund.failureMessage = message;
      uow.record(refund.order, 'REFUND_FAILED', source, message);
    }, { retriesOnConflict: PROVIDER_ANSWER_RETRIES });
  }
}

function validate(command: RefundCommand): void {
  if (command.amount !== undefined && command.amount !== null && (!Number.isSafeInteger(command.amount) || command.amount <= 0)) {
    throw new BadUserInputError(`amount must be a positive whole number of minor units, got ${command.amount}`, 'input.amount');
  }
  if (command.reason && command.reason.length > 500) {
    throw new BadUserInputError('reason must be at most 500 characters', 'input.reason');
  }
}
