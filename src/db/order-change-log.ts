import type { Knex } from '@mikro-orm/knex';
import type { OrderStatus } from '../model/order-status';
import type { OrderStatusChange } from '../model/status-change';
import { fromDbDate } from './db-dates';

/** Most changes one replay sends; a client further behind reads the order's `events` instead. */
export const REPLAY_LIMIT = 1000;

/**
 * The order's status changes after `afterSequence`, oldest first, read from its event log (the
 * same rows the outbox publishes): what a resuming `orderStatusChanged` subscriber missed.
 */
export async function statusChangesAfter(knex: Knex, orderId: string, afterSequence: number): Promise<OrderStatusChange[]> {
  const rows: Record<string, unknown>[] = await knex('order_events')
    .select('sequence', 'from_status', 'to_status', 'source', 'at')
    .where({ order_id: orderId, type: 'STATUS_CHANGED' })
    .andWhere('sequence', '>', afterSequence)
    .orderBy('sequence')
    .limit(REPLAY_LIMIT);
  return rows.map((r) => ({
    orderId,
    sequence: Number(r.sequence),
    status: r.to_status as OrderStatus,
    previousStatus: (r.from_status as OrderStatus | null) ?? null,
    source: String(r.source),
    at: fromDbDate(r.at),
  }));
}
