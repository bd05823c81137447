import { IngestPressure } from './ingest-pressure';
import { inboxKey, type InboxRow, type WebhookInboxStore } from './webhook-inbox.store';

/** Nothing could be stored (database unavailable, full or read-only, or the queue is full): answer 503, the provider retries. */
export class InboxUnavailableError extends Error {
  constructor(
    message: string,
    /** Seconds the provider should wait before retrying (`Retry-After`). */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'InboxUnavailableError';
  }
}

export interface AppenderOptions {
  /** Deliveries waiting for a commit; past it, 503 at once (memory stays bounded under a flood). */
  maxQueued: number;
  /** Bytes of payload waiting for a commit; past it, 503 at once. */
  maxQueuedBytes: number;
}

interface Waiting {
  row: InboxRow;
  resolve: (result: 'stored' | 'duplicate') => void;
  reject: (error: Error) => void;
}

/**
 * Group commit for the inbox: the first delivery starts a commit; every delivery that arrives while
 * it is in flight waits and goes into the next single multi-row insert, so N concurrent deliveries
 * cost one statement and one commit (one fsync on SQLite) instead of N. Each delivery is answered
 * only after the commit that holds its row succeeded.
 */
export class GroupCommitAppender {
  private queue: Waiting[] = [];
  private queuedBytes = 0;
  private committing = false;
  /** What the inbox worker reads to stand back during a flood (shared with its thread). */
  readonly pressure: IngestPressure;

  constructor(
    private readonly store: WebhookInboxStore,
    private readonly options: AppenderOptions,
    /** Called after each successful commit (wakes the applier). */
    private readonly onCommitted: () => void,
    /** Milliseconds now, for the flood signal's gaps between commits (a test holds it still). */
    now: () => number = Date.now,
    /** Where the pressure is written (shared with the worker's thread, when it has one). */
    pressure?: IngestPressure,
  ) {
    this.pressure = pressure ?? new IngestPressure(undefined, now);
  }

  /** Deliveries waiting for the next commit (the applier yields the connection to them). */
  get waiting(): number {
    return this.pressure.waiting;
  }

  /** A flood is being taken in (see IngestPressure). */
  get flooded(): boolean {
    return this.pressure.flooded;
  }

  /** Resolves `stored` (new) or `duplicate` once durable; rejects with InboxUnavailableError when it could not be. */
  append(row: InboxRow): Promise<'stored' | 'duplicate'> {
    if (this.queue.length >= this.options.maxQueued || this.queuedBytes + row.payload.length > this.options.maxQueuedBytes) {
      return Promise.reject(new InboxUnavailableError('too many webhook deliveries are waiting to be stored', 1));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.pressure.waiting = this.queue.length;
      this.queuedBytes += row.payload.length;
      if (!this.committing) {
        this.committing = true;
        this.pressure.committing = true;
        // Let the deliveries already parsed in this turn of the event loop join the first commit.
        setImmediate(() => void this.commitLoop());
      }
    });
  }

  private async commitLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      this.pressure.waiting = 0;
      this.queuedBytes = 0;
      this.pressure.commitStarts(batch.length);
      await this.commit(batch);
      this.pressure.commitEnded();
      // As before the first commit: deliveries whose bytes arrived during this one are parsed in
      // the next turn of the event loop; let them join the next commit instead of the one after.
      if (this.queue.length > 0) await new Promise(setImmediate);
    }
    this.committing = false;
    this.pressure.committing = false;
  }

  private async commit(batch: Waiting[]): Promise<void> {
    // A duplicate inside the batch is answered like one already stored: once the first copy is durable.
    const first = new Map<string, InboxRow>();
    for (const w of batch) {
      const key = inboxKey(w.row.provider, w.row.eventId);
      if (!first.has(key)) first.set(key, w.row);
    }
    let inserted: Set<string>;
    try {
      inserted = await this.store.append([...first.values()]);
    } catch (error) {
      const failure = new InboxUnavailableError(`the inbox could not store the event: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, 5);
      for (const w of batch) w.reject(failure);
      return;
    }
    for (const w of batch) {
      const key = inboxKey(w.row.provider, w.row.eventId);
      w.resolve(inserted.has(key) && first.get(key) === w.row ? 'stored' : 'duplicate');
    }
    if (inserted.size > 0) this.onCommitted();
  }
}
