import type { EventResult } from './webhook-inbox.rows';

/**
 * SQLite: applied events' results on their way to the inbox file, which ingest's next group commit
 * writes while the worker goes on with the next batch (waiting for that commit, about one fsync,
 * made rounds a third longer at 1,000 events/s). Until its result is written, an event is left out
 * of the due ones. Should the write fail, the events are due again, and the applications recorded
 * with their effects are written instead of applying them again (WebhookInboxStore.stillDue).
 */
export class ResultsInFlight {
  private readonly ids = new Set<string>();
  private written: Promise<void> = Promise.resolve();
  private error?: Error;

  constructor(
    private readonly write: (results: EventResult[]) => Promise<void>,
    /** Told when a write failed (the worker looks at the inbox again). */
    private readonly failed: () => void,
  ) {}

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  send(results: EventResult[]): void {
    if (results.length === 0) return;
    for (const r of results) this.ids.add(r.id);
    const written = this.write(results).then(
      () => undefined,
      (err: unknown) => {
        this.error = new Error(`could not write ${results.length} applied webhook events to the inbox (they will be looked at again): ${err instanceof Error ? err.message : String(err)}`);
        this.failed();
      },
    );
    this.written = Promise.all([this.written, written]).then(() => undefined);
    void written.then(() => {
      for (const r of results) this.ids.delete(r.id);
    });
  }

  /** The error of a write that failed since the last call, once. */
  takeError(): Error | undefined {
    const error = this.error;
    this.error = undefined;
    return error;
  }

  /** Resolves once every result sent so far is written (or failed). */
  settled(): Promise<void> {
    return this.written;
  }
}
