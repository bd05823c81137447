import type { ApplierOptions } from './webhook-inbox.applier-options';
import type { DueEvent, WebhookInboxStore } from './webhook-inbox.store';

/** Events handed over past this many batches are dropped from memory and read from the inbox. */
const MAX_FRESH_BATCHES = 4;

/**
 * Where the inbox worker takes its next events from. SQLite, applying on the thread that appends:
 * the events ingest has just committed are handed over (`offer`) and applied without reading back
 * the payloads this process has just written. The inbox itself is read whenever events may be due
 * that were not handed over: at start, after a wake that was not an append's (a replay, DEAD
 * events put back, results that could not be written), when a retry falls due, when the worker
 * fell more than a few batches behind, and at least every `pollMs` under a steady stream.
 */
export class DueEventSource {
  private fresh: DueEvent[] = [];
  /** Reads asked for and answered: while they differ, the inbox may hold due events `fresh` lacks. */
  private readsAsked = 1;
  private readsDone = 0;
  private lastReadAt = 0;
  /** When the earliest failed attempt's retry falls due; a read that takes everything due forgets it. */
  nextRetryAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly store: WebhookInboxStore,
    private readonly options: Pick<ApplierOptions, 'batchSize' | 'pollMs'>,
  ) {}

  /** Events just committed by ingest, in receipt order. */
  offer(appended: DueEvent[]): void {
    if (this.fresh.length + appended.length > this.options.batchSize * MAX_FRESH_BATCHES) this.askRead();
    else this.fresh.push(...appended);
  }

  /** The next round reads the inbox. */
  askRead(): void {
    this.readsAsked++;
    this.fresh = [];
  }

  /** The next events, and whether more may be due behind them. `inFlight`: events read past (their results are on their way). */
  async next(inFlight: number): Promise<{ events: DueEvent[]; more: boolean }> {
    const now = Date.now();
    if (this.fresh.length > 0 && this.readsAsked === this.readsDone && now < Math.min(this.nextRetryAt, this.lastReadAt + this.options.pollMs)) {
      const events = this.fresh.splice(0, this.options.batchSize);
      return { events, more: this.fresh.length > 0 };
    }
    const asked = this.readsAsked;
    // What was handed over is in the inbox, and this read sees it.
    this.fresh = [];
    const limit = this.options.batchSize + inFlight;
    const events = await this.store.due(limit, new Date(now));
    const more = events.length >= limit;
    if (!more) {
      this.readsDone = asked;
      this.lastReadAt = now;
      if (this.nextRetryAt <= now) this.nextRetryAt = Number.POSITIVE_INFINITY;
    }
    return { events, more };
  }
}
