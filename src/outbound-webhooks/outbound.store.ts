import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/knex';
import { fromDbDate, type DbDialect } from '../db/db-dates';
import { multiRowInsert } from '../db/multi-row-insert';
import type { SqlExecutor } from '../db/sql-executor';
import { DeliveryStatus, type DeliveryRecord, type DeliveryResult, type DueDelivery, type EndpointRecord } from './delivery-types';
import { recordEndpointHealth } from './endpoint-health';
import { OutboundReads, toDelivery, toEndpoint, type Row } from './outbound.reads';
/** Rows per INSERT statement: far below SQLite's 32 766 bound variables. */
const ROWS_PER_STATEMENT = 300;

/** A delivery to queue: one message for one endpoint. */
export interface NewDelivery {
  endpointId: string;
  messageId: string;
  eventType: string;
  orderId: string;
  eventSequence: number;
  payload: string;
}

/**
 * The SQL of outbound webhooks, set-based where it is hot (queueing from the outbox, claiming,
 * writing attempts back in batches). Claims work like the outbox's: a lease, and on PostgreSQL
 * `FOR UPDATE SKIP LOCKED`, so each delivery is sent by one instance at a time.
 */
export class OutboundStore extends OutboundReads {
  constructor(
    knex: () => Knex,
    kind: DbDialect,
    readonly owner: string,
  ) {
    super(knex, kind);
  }

  /**
   * SQLite: release the claims of the process that ran before this one (one process per file in
   * production: it is gone, and its deliveries should not wait for their lease to run out).
   */
  async init(): Promise<void> {
    if (this.kind !== 'sqlite') return;
    const claimed = () => this.knex()('webhook_deliveries').where('status', DeliveryStatus.PENDING).whereNotNull('claimed_by');
    if (await claimed().first('id')) await claimed().update({ claimed_by: null, claimed_until: null });
  }

  async createEndpoint(url: string, events: string[], secret: string): Promise<EndpointRecord> {
    const row = { id: randomUUID(), url, events: JSON.stringify(events), secret, created_at: this.date(new Date()) };
    await this.knex()('webhook_endpoints').insert(row);
    return toEndpoint(row);
  }

  /** Deletes the endpoint with its deliveries and their attempts; false when there was none. */
  async deleteEndpoint(id: string): Promise<boolean> {
    return this.knex().transaction(async (trx) => {
      const deliveries = trx('webhook_deliveries').select('id').where('endpoint_id', id);
      await trx('webhook_delivery_attempts').whereIn('delivery_id', deliveries).delete();
      await trx('webhook_deliveries').where('endpoint_id', id).delete();
      return (await trx('webhook_endpoints').where('id', id).delete()) > 0;
    });
  }

  /** Queues deliveries (multi-row inserts) in the caller's transaction: the outbox dispatcher's. */
  async enqueue(db: SqlExecutor, deliveries: NewDelivery[], now = new Date()): Promise<void> {
    const rows = deliveries.map((d) => ({
      id: randomUUID(),
      endpoint_id: d.endpointId,
      message_id: d.messageId,
      event_type: d.eventType,
      order_id: d.orderId,
      event_sequence: d.eventSequence,
      payload: d.payload,
      status: DeliveryStatus.PENDING,
      attempts: 0,
      next_attempt_at: this.date(now),
      created_at: this.date(now),
    }));
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await db.rows(multiRowInsert(this.knex(), 'webhook_deliveries', rows.slice(i, i + ROWS_PER_STATEMENT)));
  }

  /**
   * Claims due deliveries of enabled endpoints, oldest first, at most `perEndpoint` per endpoint
   * and none of the endpoints in `skip` (those already at their limit here): a slow endpoint's
   * backlog never stands in front of another endpoint's deliveries.
   */
  async claim(limit: number, perEndpoint: number, skip: string[], leaseMs: number, now = new Date()): Promise<DueDelivery[]> {
    const bindings: Knex.RawBinding[] = [DeliveryStatus.PENDING, this.date(now), this.date(now)];
    const skipSql = skip.length ? `and d.endpoint_id not in (${skip.map(() => '?').join(', ')})` : '';
    bindings.push(...skip, perEndpoint, limit);
    const candidates = `select id from (
        select d.id, d.next_attempt_at, row_number() over (partition by d.endpoint_id order by d.next_attempt_at, d.id) as rn
          from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
         where d.status = ? and e.disabled_at is null and d.next_attempt_at <= ? and (d.claimed_until is null or d.claimed_until < ?) ${skipSql}
      ) ranked where rn <= ? order by next_attempt_at limit ?`;
    const until = this.date(new Date(now.getTime() + leaseMs));
    let ids: string[];
    if (this.kind === 'postgresql') {
      const result = await this.knex().raw(
        `update webhook_deliveries set claimed_by = ?, claimed_until = ? where id in (select id from webhook_deliveries where id in (${candidates}) for update skip locked) returning id`,
        [this.owner, until, ...bindings],
      );
      ids = (result.rows as Row[]).map((r) => String(r.id));
    } else {
      const rows = (await this.knex().raw(candidates, bindings)) as Row[];
      if (rows.length === 0) return [];
      ids = rows.map((r) => String(r.id));
      await this.knex()('webhook_deliveries')
        .whereIn('id', ids)
        .andWhere((q) => q.whereNull('claimed_until').orWhere('claimed_until', '<', this.date(now)))
        .update({ claimed_by: this.owner, claimed_until: until });
    }
    if (ids.length === 0) return [];
    const claimed: Row[] = await this.knex()('webhook_deliveries as d')
      .join('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .select('d.id', 'd.endpoint_id', 'e.url', 'e.secret', 'd.message_id', 'd.payload', 'd.attempts', 'd.created_at')
      .whereIn('d.id', ids)
      .andWhere('d.claimed_by', this.owner)
      .orderBy('d.next_attempt_at');
    return claimed.map((r) => ({
      id: String(r.id),
      endpointId: String(r.endpoint_id),
      url: String(r.url),
      secret: String(r.secret),
      messageId: String(r.message_id),
      payload: String(r.payload),
      attempts: Number(r.attempts),
      createdAt: fromDbDate(r.created_at),
    }));
  }

  /**
   * Writes a batch of attempts back in one transaction: the attempts (one multi-row insert), each
   * delivery's new state (claim released), and each endpoint's health. Returns the endpoints that
   * this batch disabled (failing for `disableAfterMs`).
   */
  async writeResults(results: DeliveryResult[], disableAfterMs: number, now = new Date()): Promise<string[]> {
    return this.knex().transaction(async (trx) => {
      // A delivery whose endpoint was deleted while it was in flight is gone with it: nothing to record.
      const existing = new Set(((await trx('webhook_deliveries').select('id').whereIn('id', results.map((r) => r.delivery.id))) as Row[]).map((r) => String(r.id)));
      results = results.filter((r) => existing.has(r.delivery.id));
      const attempts = results.map((r) => ({
        id: randomUUID(),
        delivery_id: r.delivery.id,
        attempted_at: this.date(r.attempt.attemptedAt),
        status_code: r.attempt.statusCode,
        duration_ms: r.attempt.durationMs,
        error: r.attempt.error,
        response_body: r.attempt.responseBody,
      }));
      for (let i = 0; i < attempts.length; i += ROWS_PER_STATEMENT) await trx('webhook_delivery_attempts').insert(attempts.slice(i, i + ROWS_PER_STATEMENT));
      for (const r of results) {
        await trx('webhook_deliveries').where('id', r.delivery.id).update({
          status: r.status,
          attempts: r.delivery.attempts + 1,
          next_attempt_at: r.nextAttemptAt && this.date(r.nextAttemptAt),
          last_status_code: r.attempt.statusCode,
          last_error: r.attempt.error,
          delivered_at: r.status === DeliveryStatus.DELIVERED ? this.date(r.attempt.attemptedAt) : null,
          claimed_by: null,
          claimed_until: null,
        });
      }
      return recordEndpointHealth(trx, results, disableAfterMs, now, (d) => this.date(d));
    });
  }

  /** A new delivery of the same message (same `webhook-id`), due now; undefined when there is no such delivery. */
  async redeliver(id: string, now = new Date()): Promise<DeliveryRecord | undefined> {
    const original: Row | undefined = await this.knex()('webhook_deliveries').where('id', id).first();
    if (!original) return undefined;
    // Asking for a redelivery says the endpoint works again: a disabled one is enabled.
    await this.knex()('webhook_endpoints').where('id', String(original.endpoint_id)).whereNotNull('disabled_at').update({ disabled_at: null, disabled_reason: null, failing_since: null });
    const row = {
      id: randomUUID(),
      endpoint_id: original.endpoint_id,
      message_id: original.message_id,
      event_type: original.event_type,
      order_id: original.order_id,
      event_sequence: original.event_sequence,
      payload: original.payload,
      status: DeliveryStatus.PENDING,
      attempts: 0,
      next_attempt_at: this.date(now),
      created_at: this.date(now),
    };
    await this.knex()('webhook_deliveries').insert(row);
    return toDelivery(row);
  }

}
