import type { Logger } from '../../logging/logger';
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
      const dropped = await this.store.dropPayloads(new Date(now.getTime() - this.days * DAY_MS));
      if (dropped > 0) this.logger.info({ dropped, retentionDays: this.days }, 'dropped webhook payloads past retention');
      return dropped;
    } catch (error) {
      this.logger.warn({ err: error }, 'webhook payload retention sweep failed; will try again');
      return 0;
    }
  }
}
