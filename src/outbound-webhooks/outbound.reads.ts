import type { Knex } from '@mikro-orm/knex';
import type { SqlExecutor } from '../db/sql-executor';
import { fromDbDate, toDbDate, type DbDialect } from '../db/db-dates';
import { decodeCursor, encodeCursor, type Page } from '../domain/services/pagination';
import { DeliveryStatus, type AttemptRecord, type DeliveryRecord, type EndpointRecord } from './delivery-types';

export type Row = Record<string, unknown>;

/** The read side of outbound webhooks: endpoints, deliveries and their attempts for the admin API and the worker. */
export class OutboundReads {
  constructor(
    protected readonly knex: () => Knex,
    readonly kind: DbDialect,
  ) {}

  protected date(value: Date): Date | number {
    return toDbDate(value, this.kind);
  }

  async endpoints(): Promise<EndpointRecord[]> {
    const rows: Row[] = await this.knex()('webhook_endpoints').select('id', 'url', 'events', 'created_at', 'failing_since', 'disabled_at', 'disabled_reason').orderBy('created_at');
    return rows.map(toEndpoint);
  }

  /** Endpoints that receive deliveries now: enabled ones, with what they subscribed to. */
  async activeEndpoints(db: SqlExecutor): Promise<{ id: string; events: string[] }[]> {
    const rows = await db.rows<Row>(this.knex()('webhook_endpoints').select('id', 'events').whereNull('disabled_at'));
    return rows.map((r) => ({ id: String(r.id), events: JSON.parse(String(r.events)) as string[] }));
  }

  async delivery(id: string): Promise<DeliveryRecord | undefined> {
    const row: Row | undefined = await this.knex()('webhook_deliveries').where('id', id).first();
    return row && toDelivery(row);
  }

  /** Newest first, optionally of one endpoint: a Relay page over (createdAt, id). */
  async deliveries(args: { endpointId?: string | null; first: number; after?: string | null }): Promise<Page<DeliveryRecord>> {
    const base = () => {
      const q = this.knex()('webhook_deliveries');
      if (args.endpointId) q.where('endpoint_id', args.endpointId);
      return q;
    };
    const [{ n }] = (await base().count({ n: '*' })) as { n: number | string }[];
    const query = base().select('*').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(args.first + 1);
    if (args.after) {
      const cursor = decodeCursor(args.after, 'after');
      const at = this.date(cursor.createdAt);
      query.where((q) => q.where('created_at', '<', at).orWhere((q2) => q2.where('created_at', at).andWhere('id', '<', cursor.id)));
    }
    const rows: Row[] = await query;
    const nodes = rows.slice(0, args.first).map(toDelivery);
    return { nodes, cursors: nodes.map((d) => encodeCursor(d.createdAt, d.id)), hasNextPage: rows.length > args.first, hasPreviousPage: Boolean(args.after), totalCount: Number(n) };
  }

  /** The attempts of these deliveries, oldest first, grouped by delivery (one query for a page). */
  async attemptsOf(deliveryIds: readonly string[]): Promise<AttemptRecord[][]> {
    const rows: Row[] = deliveryIds.length ? await this.knex()('webhook_delivery_attempts').whereIn('delivery_id', [...deliveryIds]).orderBy('attempted_at') : [];
    return deliveryIds.map((id) =>
      rows.filter((r) => r.delivery_id === id).map((r) => ({
        id: String(r.id),
        deliveryId: id,
        attemptedAt: fromDbDate(r.attempted_at),
        statusCode: r.status_code == null ? null : Number(r.status_code),
        durationMs: Number(r.duration_ms),
        error: (r.error as string | null) ?? null,
        responseBody: (r.response_body as string | null) ?? null,
      })),
    );
  }

  /** Counts by status, for metrics and tests. */
  async countByStatus(): Promise<Record<string, number>> {
    const rows = (await this.knex()('webhook_deliveries').select('status').count({ n: '*' }).groupBy('status')) as { status: string; n: number | string }[];
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
export function toEndpoint(r: Row): EndpointRecord {
  return {
    id: String(r.id),
    url: String(r.url),
    events: JSON.parse(String(r.events)) as string[],
    createdAt: fromDbDate(r.created_at),
    failingSince: r.failing_since == null ? null : fromDbDate(r.failing_since),
    disabledAt: r.disabled_at == null ? null : fromDbDate(r.disabled_at),
    disabledReason: (r.disabled_reason as string | null) ?? null,
  };
}

export function toDelivery(r: Row): DeliveryRecord {
  return {
    id: String(r.id),
    endpointId: String(r.endpoint_id),
    messageId: String(r.message_id),
    eventType: String(r.event_type),
    orderId: String(r.order_id),
    eventSequence: Number(r.event_sequence),
    payload: String(r.payload),
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at == null ? null : fromDbDate(r.next_attempt_at),
    lastStatusCode: r.last_status_code == null ? null : Number(r.last_status_code),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: fromDbDate(r.created_at),
    deliveredAt: r.delivered_at == null ? null : fromDbDate(r.delivered_at),
  };
}
