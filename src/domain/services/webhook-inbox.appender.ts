import { firstLineOf } from '../errors';
import { inboxKey, type EventResult, type InboxRow, type WebhookInboxStore } from './webhook-inbox.store';

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

/** Applied events' results waiting to be written to SQLite's inbox file (see `writeResults`). */
interface ResultsWaiting {
  results: EventResult[];
  resolve: () => void;
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
  private resultsQueue: ResultsWaiting[] = [];
  private queuedBytes = 0;
  private committing = false;
  constructor(
    private readonly store: WebhookInboxStore,
    private readonly options: AppenderOptions,
    /** Called after each commit that stored new events, with them (for the applier). */
    private readonly onCommitted: (appended: InboxRow[]) => void,
  ) {}

  /** Resolves `stored` (new) or `duplicate` once durable; rejects with InboxUnavailableError when it could not be. */
  append(row: InboxRow): Promise<'stored' | 'duplicate'> {
    if (this.queue.length >= this.options.maxQueued || this.queuedBytes + row.payload.length > this.options.maxQueuedBytes) {
      return Promise.reject(new InboxUnavailableError('too many webhook deliveries are waiting to be stored', 1));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.queuedBytes += row.payload.length;
      this.startCommitting();
    });
  }

  /**
   * SQLite: writes applied events' results to the inbox file with the next group commit, on this
   * connection. The process then has one writer of that file: a second connection would wait for
   * its lock by polling (SQLite's busy handler sleeps 1, 2, 5, 10 ms… in a thread of libuv's pool)
   * against ingest's commits, back to back under load. Resolves once committed.
   */
  writeResults(results: EventResult[]): Promise<void> {
    if (results.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.resultsQueue.push({ results, resolve, reject });
      this.startCommitting();
    });
  }

  private startCommitting(): void {
    if (this.committing) return;
    this.committing = true;
    // Let the deliveries already parsed in this turn of the event loop join the first commit.
    setImmediate(() => void this.commitLoop());
  }

  /**
   * One commit after the other. When one ends, the deliveries that arrived meanwhile go to the
   * database first and this one's are answered after (in the check phase of this turn of the event
   * loop): SQLite's thread writes and syncs the next group while this thread answers. Answering
   * first left the database idle about a third of each commit cycle (measured at 50 connections).
   */
  private async commitLoop(): Promise<void> {
    let next: Commit | undefined = this.begin();
    while (next) {
      const current = next;
      const outcome = await current.outcome;
      if (outcome instanceof Set && outcome.size > 0) this.onCommitted([...current.first.values()].filter((row) => outcome.has(inboxKey(row.provider, row.eventId))));
      next = this.queue.length > 0 || this.resultsQueue.length > 0 ? this.begin() : undefined;
      setImmediate(() => answer(current, outcome));
    }
    this.committing = false;
  }

  /** Takes the waiting deliveries and sends their INSERT (each event once: a duplicate inside the group waits for its first copy). */
  private begin(): Commit {
    const batch = this.queue;
    const results = this.resultsQueue;
    this.queue = [];
    this.resultsQueue = [];
    this.queuedBytes = 0;
    const first = new Map<string, InboxRow>();
    for (const w of batch) {
      const key = inboxKey(w.row.provider, w.row.eventId);
      if (!first.has(key)) first.set(key, w.row);
    }
    const written = this.store.appendWithResults([...first.values()], results.flatMap((r) => r.results));
    const outcome = written.then(
      ({ keys, resultsError }) => {
        for (const r of results) resultsError ? r.reject(resultsError) : r.resolve();
        return keys;
      },
      (error: unknown) => {
        for (const r of results) r.reject(error instanceof Error ? error : new Error(String(error)));
        return new InboxUnavailableError(`the inbox could not store the event: ${firstLineOf(error)}`, 5);
      },
    );
    return { batch, first, outcome };
  }
}

interface Commit {
  batch: Waiting[];
  /** The first copy of each event in the group, by key. */
  first: Map<string, InboxRow>;
  /** The keys that were new, or why nothing was stored. */
  outcome: Promise<Set<string> | InboxUnavailableError>;
}

/** Each delivery of a commit learns its result: `stored`, `duplicate` (stored before, or a second copy in the group), or the failure. */
function answer({ batch, first }: Commit, outcome: Set<string> | InboxUnavailableError): void {
  for (const w of batch) {
    if (outcome instanceof InboxUnavailableError) {
      w.reject(outcome);
      continue;
    }
    const key = inboxKey(w.row.provider, w.row.eventId);
    w.resolve(outcome.has(key) && first.get(key) === w.row ? 'stored' : 'duplicate');
  }
}
