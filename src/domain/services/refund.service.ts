import type { EntityManager } from '@mikro-orm/core';
import { OrderEntity, RefundEntity } from '../../db/entities';
import type { ProviderRegistry } from '../providers/provider-registry';
import { BadUserInputError, ConflictError, NotFoundError, ProviderError } from '../errors';
import { formatMoney } from '../money';
import { OrderStatus } from '../../model/order-status';
import { RefundStatus } from '../../model/payment-types';
import { moveRefund } from '../payment-state-machine';
import type { RefundSender } from './late-payments';
import { inOrderTransaction, PROVIDER_ANSWER_RETRIES } from './order-transaction';
import type { PaymentAttempts } from './payment-attempts';
import { allocateRefund, isUnanswered, refundableTotal, type Allocation } from './refund-allocation';
import type { StatusChangeSink } from '../../model/status-change';

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
 * spread over the order's payments, never more than each one captured, (2) call the provider
 * outside the transaction with an idempotency key derived from the refund's id, (3) apply the
 * provider's answer through the reconciler, as a webhook would. A retry of a request whose
 * refund is still PENDING with an unknown outcome re-sends that refund with its own key instead
 * of reserving another.
 */
export class RefundService implements RefundSender {
  constructor(
    private readonly em: EntityManager,
    private readonly sink: StatusChangeSink,
    private readonly providers: ProviderRegistry,
    private readonly attempts: PaymentAttempts,
  ) {}

  async refundOrder(command: RefundCommand, source = 'mutation:refundOrder'): Promise<RefundEntity> {
    validate(command);
    const refundIds = await inOrderTransaction(this.em, this.sink, async (uow) => {
      const order = await uow.em.findOne(OrderEntity, { id: command.orderId }, { populate: ['payments', 'refunds'] });
      if (!order) throw new NotFoundError('Order', command.orderId);
      if (!REFUNDABLE.includes(order.status)) {
        throw new ConflictError(`Order ${order.id} is ${order.status}; only PAID, PARTIALLY_REFUNDED or DISPUTED orders can be refunded`);
      }
      // The same request again after its caller was told the outcome is unknown: finish (or report)
      // that refund with its own key instead of reserving another, even if a webhook settled it since.
      const wholeRest = command.amount === undefined || command.amount === null;
      const same = order.refunds.getItems().filter((r) => isUnanswered(r) && (wholeRest || r.amount === command.amount));
      if (same.length > 0 && (!wholeRest || refundableTotal(order) === 0)) {
        const retried = wholeRest ? same : [same[0]];
        for (const r of retried) r.outcomeUnknownSince = null;
        uow.record(order, 'REFUND_RETRIED', source, `the same request again: refund ${retried.map((r) => r.id).join(', ')}, whose outcome was unknown, is finished with its own idempotency key`);
        order.updatedAt = new Date();
        return retried.map((r) => r.id);
      }
      const parts = allocateRefund(order, command.amount ?? undefined);
      const refunds = parts.map((part: Allocation) => {
        const refund = uow.em.create(RefundEntity, { order, payment: part.payment, providerChargeId: part.chargeId ?? null, amount: part.amount, currency: order.currency, reason: command.reason ?? null });
        uow.em.persist(refund);
        return refund;
      });
      // Touching the order bumps its version: two reservations racing on one order cannot both commit.
      order.updatedAt = new Date();
      const total = parts.reduce((sum, p) => sum + p.amount, 0);
      uow.record(order, 'REFUND_REQUESTED', source, `${formatMoney(total, order.currency)} requested${refunds.length > 1 ? ` across ${refunds.length} payments` : ''}`);
      return refunds.map((r) => r.id);
    });

    // Every part is sent even when one fails, so none is left reserved unsent; the first failure is reported.
    let failure: unknown;
    for (const refundId of refundIds) {
      try {
        await this.sendReserved(refundId, source, command.reason);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure) throw failure;
    return this.em.fork().findOneOrFail(RefundEntity, { id: refundIds[0] }, { populate: ['payment'] });
  }

  /**
   * Calls the provider for a reserved refund with the key `refund-<refund id>` (a repeat is
   * answered with the first refund, never a second one) and records the answer. A definite refusal
   * frees the reservation; an unknown outcome keeps it PENDING and says how to finish it.
   */
  async sendReserved(refundId: string, source: string, reason?: string | null): Promise<RefundEntity> {
    const refund = await this.em.fork().findOneOrFail(RefundEntity, { id: refundId }, { populate: ['payment', 'order'] });
    if (refund.status !== RefundStatus.PENDING) return refund;
    const payment = refund.payment;
    const ref = { paymentId: payment.id, providerPaymentId: payment.providerPaymentId ?? undefined, chargeId: refund.providerChargeId ?? payment.providerChargeId ?? undefined };
    try {
      const state = await this.providers.get(payment.provider).refund({
        ref, amount: refund.amount, currency: refund.currency, refundId, orderId: refund.order.id, reason: reason ?? refund.reason, idempotencyKey: `refund-${refundId}`,
      });
      // The provider has answered: recording it must not fail because its own webhook (or another
      // refund) wrote the order at the same moment, or the caller would retry a refund that happened.
      await this.attempts.recordFacts(payment.provider, [{ kind: 'refund_state', ref, refund: { ...state, refundId } }], source);
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      if (!error.retryable) {
        await this.markFailed(refundId, error.message, source);
        throw error;
      }
      await this.markUnanswered(refundId);
      throw new ProviderError(
        `The ${payment.provider} refund ${refundId} of ${formatMoney(refund.amount, refund.currency)} got no answer (${error.message}): it may or may not have been made, and it stays reserved (PENDING). ` +
          'Send the same refundOrder request again: it re-sends this refund with the same idempotency key, so it cannot refund twice.',
        error.provider,
        error.providerCode,
        true,
      );
    }
    return this.em.fork().findOneOrFail(RefundEntity, { id: refundId }, { populate: ['payment'] });
  }

  private async markUnanswered(refundId: string): Promise<void> {
    await this.em.fork().nativeUpdate(RefundEntity, { id: refundId }, { outcomeUnknownSince: new Date() });
  }

  private async markFailed(refundId: string, message: string, source: string): Promise<void> {
    await inOrderTransaction(this.em, this.sink, async (uow) => {
      const refund = await uow.em.findOneOrFail(RefundEntity, { id: refundId }, { populate: ['order'] });
      if (refund.status !== RefundStatus.PENDING || !moveRefund(refund, RefundStatus.FAILED)) return;
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
