import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { DeadlockException, LockWaitTimeoutException, OptimisticLockError } from '@mikro-orm/core';
import { DisputeEntity, OrderEventEntity, OutboxMessageEntity, PaymentEntity, RefundEntity, type OrderEntity } from '../../db/entities';
import { isOutboxed } from '../outboxed-events';
import { ConflictError } from '../errors';
import type { PaymentRef } from '../providers/provider-events';
import type { OrderStatus } from '../../model/order-status';
import type { PaymentProvider } from '../../model/payment-types';
import type { StatusChangeSink } from '../../model/status-change';
import { OrderWork, type NewDispute, type NewRefund } from './order-work';

export { OrderWork } from './order-work';

/** The ORM's unit of work over orders: entities it tracks, written by its flush at commit. */
export class OrderUnitOfWork extends OrderWork {
  constructor(readonly em: EntityManager) {
    super();
  }

  record(order: OrderEntity, type: string, source: string, message?: string, from?: OrderStatus, to?: OrderStatus): void {
    const event = this.em.create(OrderEventEntity, { order, type, source, message: message ?? null, fromStatus: from ?? null, toStatus: to ?? null, at: new Date() });
    this.em.persist(event);
    // Same flush, same transaction: the outbox row commits exactly when the change does (src/outbox).
    if (isOutboxed(type)) this.em.persist(this.em.create(OutboxMessageEntity, { event, orderId: order.id, createdAt: event.at }));
  }

  addRefund(refund: NewRefund): RefundEntity {
    const created = this.em.create(RefundEntity, refund);
    refund.order.refunds.add(created);
    this.em.persist(created);
    return created;
  }

  addDispute(dispute: NewDispute): DisputeEntity {
    const created = this.em.create(DisputeEntity, dispute);
    dispute.order.disputes.add(created);
    this.em.persist(created);
    return created;
  }

  async findPayment(provider: PaymentProvider, ref: PaymentRef): Promise<PaymentEntity | null> {
    const candidates: FilterQuery<PaymentEntity>[] = [];
    if (ref.paymentId) candidates.push({ id: ref.paymentId });
    if (ref.sessionId) candidates.push({ providerSessionId: ref.sessionId });
    if (ref.providerPaymentId) candidates.push({ providerPaymentId: ref.providerPaymentId });
    if (ref.chargeId) candidates.push({ providerChargeId: ref.chargeId });
    for (const where of candidates) {
      const found = await this.em.findOne(PaymentEntity, { ...(where as object), provider } as FilterQuery<PaymentEntity>, { populate: ['order'] });
      if (!found) continue;
      const missing = (['payments', 'refunds', 'disputes'] as const).filter((relation) => !found.order[relation].isInitialized(true));
      if (missing.length > 0) await this.em.populate(found.order, missing);
      return found;
    }
    return null;
  }
}

/**
 * Retries for recording a provider's answer (a charge, capture or refund that already happened)
 * when the provider's own webhook wrote the order at the same moment: the caller must not be told
 * CONFLICT for money that moved.
 */
export const PROVIDER_ANSWER_RETRIES = 5;

/** Re-runs of a transaction that SQLite refused because another connection wrote the file meanwhile. */
const BUSY_RETRIES = 5;

/** How `inOrderTransaction` treats a concurrent writer of the same order. */
export interface OrderTransactionOptions {
  /**
   * Re-runs `work` in a fresh transaction up to this many times when another writer won the
   * optimistic lock, before answering CONFLICT. Only for work that re-reads what it needs and is
   * safe to repeat (applying a provider's answer), never for a user's first request.
   */
  retriesOnConflict?: number;
}

/**
 * Runs `work` in one database transaction; status changes it made are published to `sink`
 * after the commit succeeds, never for a rolled-back transaction, and its `afterCommit` tasks run
 * then (awaited). A concurrent writer of the same order (optimistic lock on `version`, or a
 * deadlock on PostgreSQL) surfaces as CONFLICT.
 */
export async function inOrderTransaction<T>(
  em: EntityManager,
  sink: StatusChangeSink,
  work: (uow: OrderUnitOfWork) => Promise<T>,
  options: OrderTransactionOptions = {},
): Promise<T> {
  let busyRetries = 0;
  for (let attempt = 0; ; attempt++) {
    let uow: OrderUnitOfWork | undefined;
    let result: T;
    try {
      result = await em.fork().transactional(async (tx) => {
        uow = new OrderUnitOfWork(tx);
        return work(uow);
      });
    } catch (error) {
      // SQLite: another connection to the file (a second process) wrote after this transaction read,
      // so it may not write ("database is locked", not waited for in WAL mode). Nothing was written
      // and the work re-reads: run it again, as if it had waited its turn.
      if (error instanceof LockWaitTimeoutException && busyRetries++ < BUSY_RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, 5 * busyRetries));
        attempt--;
        continue;
      }
      // PostgreSQL may end one of two writers of the same order as a deadlock victim instead (their
      // row locks taken in different orders); it was rolled back whole, so it is the same lost race.
      if (!(error instanceof OptimisticLockError) && !(error instanceof DeadlockException)) throw error;
      if (attempt < (options.retriesOnConflict ?? 0)) continue;
      throw new ConflictError('The order was changed by another request at the same time; retry');
    }
    for (const change of uow!.changes) sink.publish(change);
    // Each task handles (and logs) its own failure: the transaction's own result stands.
    for (const task of uow!.afterCommit) await task().catch(() => undefined);
    return result;
  }
}
