import type { Logger } from '../../logging/logger';
import { WebhookEventStatus } from '../../model/webhook-event-status';
import type { WebhookInboxStore } from './webhook-inbox.store';

const SWEEP_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Payloads dropped per statement. */
const CHUNK = 500;

/**
 * WEBHOOK_PAYLOAD_RETENTION_DAYS: at start and then hourly, the raw payloads of applied and ignored
 * events older than the retention are dropped. The rows stay, so a provider's late retry of an old
 * event is still recognised as a duplicate. Events still in line or DEAD keep their payload.
 */
export class PayloadRetention {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: WebhookInboxStore,
    private readonly days: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Drops what is past retention; returns how many payloads were dropped. */
  async sweep(now = new Date()): Promise<number> {
    try {
      const dropped = await this.dropPayloads(new Date(now.getTime() - this.days * DAY_MS));
      if (dropped > 0) this.logger.info({ dropped, retentionDays: this.days }, 'dropped webhook payloads past retention');
      return dropped;
    } catch (error) {
      this.logger.warn({ err: error }, 'webhook payload retention sweep failed; will try again');
      return 0;
    }
  }

  /**
   * Drops the payloads of events received before `before` that need them no more (APPLIED,
   * IGNORED); the rows stay, so a late duplicate is still recognised. Returns how many. In chunks
   * of CHUNK rows in receipt order, on ingest's connection: one UPDATE of an hour's events at a
   * busy instance would hold the inbox's write lock for seconds, and deliveries would wait (and be
   * refused with 503 past the busy timeout); between chunks their group commits go first.
   */
  private async dropPayloads(before: Date): Promise<number> {
    const { knex, appends } = this.store;
    await this.store.results.forgetApplications(before);
    let dropped = 0;
    for (let afterSeq = 0; ; ) {
      const due = knex('webhook_events')
        .select('id')
        .whereIn('status', [WebhookEventStatus.APPLIED, WebhookEventStatus.IGNORED])
        .andWhere('received_at', '<', this.store.date(before))
        .andWhere('seq', '>', afterSeq)
        .whereNotNull('payload')
        .orderBy('seq')
        .limit(CHUNK);
      const chunk = await appends.rows<{ seq: number | string }>(knex('webhook_events').whereIn('id', due).update({ payload: null }).returning('seq'));
      dropped += chunk.length;
      if (chunk.length < CHUNK) return dropped;
      afterSeq = Math.max(...chunk.map((r) => Number(r.seq)));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
