import type { Logger } from '../../logging/logger';
import { WebhookEventStatus } from '../../model/webhook-event-status';
import type { WebhookInboxStore } from './webhook-inbox.store';

const SWEEP_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

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
   * IGNORED); the rows stay, so a late duplicate is still recognised. Returns how many.
   */
  private async dropPayloads(before: Date): Promise<number> {
    const { knex } = this.store;
    const due = () =>
      knex('webhook_events')
        .whereIn('status', [WebhookEventStatus.APPLIED, WebhookEventStatus.IGNORED])
        .andWhere('received_at', '<', this.store.date(before))
        .whereNotNull('payload');
    await this.store.results.forgetApplications(before);
    // Read first: an UPDATE takes SQLite's write lock even when it matches nothing.
    if (!(await due().first('id'))) return 0;
    return due().update({ payload: null });
  }
}
