import type { Knex } from '@mikro-orm/knex';
import { fromDbDate } from '../db/db-dates';
import { DeliveryStatus, type DeliveryResult } from './delivery-types';
import type { Row } from './outbound.reads';

/**
 * Inside the transaction that records a batch of attempts: an endpoint that got a delivery through
 * is healthy again; one that only failed starts (or goes on) failing, and one failing for
 * `disableAfterMs` up to its latest retry is disabled, its pending deliveries FAILED. Returns the
 * endpoints disabled now.
 */
export async function recordEndpointHealth(
  trx: Knex.Transaction,
  results: DeliveryResult[],
  disableAfterMs: number,
  now: Date,
  date: (value: Date) => Date | number,
): Promise<string[]> {
  const healthy = [...new Set(results.filter((r) => r.status === DeliveryStatus.DELIVERED).map((r) => r.delivery.endpointId))];
  const failing = [...new Set(results.filter((r) => r.status !== DeliveryStatus.DELIVERED).map((r) => r.delivery.endpointId))].filter((id) => !healthy.includes(id));
  if (healthy.length) await trx('webhook_endpoints').whereIn('id', healthy).whereNotNull('failing_since').update({ failing_since: null });
  if (failing.length === 0) return [];
  await trx('webhook_endpoints').whereIn('id', failing).whereNull('failing_since').update({ failing_since: date(now) });
  const failingUntil = new Map<string, number>();
  for (const r of results) {
    if (r.status === DeliveryStatus.DELIVERED) continue;
    const until = (r.failingUntil ?? now).getTime();
    failingUntil.set(r.delivery.endpointId, Math.max(failingUntil.get(r.delivery.endpointId) ?? 0, until));
  }
  const candidates: Row[] = await trx('webhook_endpoints').select('id', 'failing_since').whereIn('id', failing).whereNull('disabled_at').whereNotNull('failing_since');
  const expired = candidates.filter((r) => fromDbDate(r.failing_since).getTime() <= (failingUntil.get(String(r.id)) ?? now.getTime()) - disableAfterMs);
  const disabled = expired.map((r) => String(r.id));
  if (disabled.length) {
    const hours = Math.round(disableAfterMs / 360_000) / 10;
    await trx('webhook_endpoints').whereIn('id', disabled).update({ disabled_at: date(now), disabled_reason: `every delivery failed for ${hours} h` });
    await trx('webhook_deliveries').whereIn('endpoint_id', disabled).andWhere('status', DeliveryStatus.PENDING)
      .update({ status: DeliveryStatus.FAILED, next_attempt_at: null, last_error: 'endpoint disabled', claimed_by: null, claimed_until: null });
  }
  return disabled;
}
