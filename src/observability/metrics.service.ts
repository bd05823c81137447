import type { Knex } from '@mikro-orm/knex';
import { Gauge, Registry } from 'prom-client';
import { processRegistry } from './metrics';

/**
 * The figures one running service reads from its database when scraped (they survive restarts
 * and are the same whichever instance is asked): the webhook inbox by status, the age of its
 * oldest unapplied event (apply lag: `pendingWebhookStatuses` are the not-yet-applied ones), and
 * payments and refunds by provider and status.
 */
export function serviceMetrics(knex: Knex, pendingWebhookStatuses: readonly string[]): Registry {
  const registry = new Registry();
  new Gauge({
    name: 'webhook_inbox_events',
    help: 'Stored webhook events by status (RECEIVED and FAILED are the backlog, DEAD waits for an operator)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows: Array<{ status: string; n: number | string }> = await knex('webhook_events').select('status').count({ n: '*' }).groupBy('status');
      for (const row of rows) this.set({ status: row.status }, Number(row.n));
    },
  });
  new Gauge({
    name: 'webhook_inbox_oldest_pending_age_seconds',
    help: 'How long the oldest stored event not applied yet has waited (0 when the inbox is drained)',
    registers: [registry],
    async collect() {
      const row = await knex('webhook_events').whereIn('status', pendingWebhookStatuses).min({ oldest: 'received_at' }).first();
      const oldest = row?.oldest == null ? undefined : new Date(typeof row.oldest === 'string' && /^\d+$/.test(row.oldest) ? Number(row.oldest) : row.oldest);
      this.set(oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'payments',
    help: 'Payment attempts by provider and status',
    labelNames: ['provider', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows: Array<{ provider: string; status: string; n: number | string }> = await knex('payments').select('provider', 'status').count({ n: '*' }).groupBy('provider', 'status');
      for (const row of rows) this.set({ provider: row.provider, status: row.status }, Number(row.n));
    },
  });
  new Gauge({
    name: 'refunds',
    help: 'Refunds by provider and status',
    labelNames: ['provider', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows: Array<{ provider: string; status: string; n: number | string }> = await knex('refunds as r')
        .join('payments as p', 'p.id', 'r.payment_id')
        .select('p.provider as provider', 'r.status as status')
        .count({ n: '*' })
        .groupBy('p.provider', 'r.status');
      for (const row of rows) this.set({ provider: row.provider, status: row.status }, Number(row.n));
    },
  });
  return registry;
}

/** The Prometheus text of the process metrics and one service's database figures. */
export async function renderMetrics(service: Registry): Promise<{ contentType: string; body: string }> {
  const merged = Registry.merge([processRegistry, service]);
  return { contentType: merged.contentType, body: await merged.metrics() };
}
