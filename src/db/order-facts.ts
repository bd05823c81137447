import type { EntityManager } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { DisputeEntity, OrderEntity, PaymentEntity, RefundEntity } from './entities';

type Row = Record<string, unknown>;

/**
 * One attempt, with its order and the order's payments, refunds and disputes, as managed
 * entities of `em` (inside its transaction): what the reconciler decides from, read with four
 * plain SELECTs and mapped by the ORM (`em.map`, the same mapping its own finds use) instead of
 * six ORM queries (the attempt, its order, the attempt again by provider, then three relations)
 * whose building and hydrating cost more than the queries (profiled). Null when no such attempt.
 */
export async function loadAttemptWithOrderFacts(em: EntityManager, paymentId: string): Promise<PaymentEntity | null> {
  const sql = em as unknown as SqlEntityManager;
  const knex = sql.getKnex();
  const run = (query: ReturnType<typeof knex>) => sql.getConnection().execute<Row[]>(query, [], 'all', em.getTransactionContext());
  const [orderRow] = await run(knex('orders').whereIn('id', knex('payments').select('order_id').where('id', paymentId)));
  if (!orderRow) return null;
  const orderId = orderRow.id as string;
  const byCreation = (table: string) => knex(table).where('order_id', orderId).orderBy([{ column: 'created_at' }, { column: 'id' }]);
  const paymentRows = await run(byCreation('payments'));
  const refundRows = await run(byCreation('refunds'));
  const disputeRows = await run(byCreation('disputes'));
  const order = em.map(OrderEntity, orderRow);
  const payments = paymentRows.map((row) => em.map(PaymentEntity, row));
  order.payments.hydrate(payments);
  order.refunds.hydrate(refundRows.map((row) => em.map(RefundEntity, row)));
  order.disputes.hydrate(disputeRows.map((row) => em.map(DisputeEntity, row)));
  return payments.find((p) => p.id === paymentId) ?? null;
}
