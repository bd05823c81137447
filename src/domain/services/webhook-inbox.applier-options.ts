/** How the inbox worker paces itself (webhook-inbox.applier.ts); WEBHOOK_MAX_ATTEMPTS sets `maxAttempts`. */
export interface ApplierOptions {
  /** Attempts before an event is DEAD (WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Events read (claimed, on PostgreSQL) per round trip. */
  batchSize: number;
  /** Fallback poll when nothing woke the worker (another instance appended, a retry fell due). */
  pollMs: number;
  /** First retry delay; doubled per attempt up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a claim holds before another instance may take the events (a crashed instance's claim expires). */
  leaseMs: number;
  /**
   * Longest applying transaction when a batch is applied one event per savepoint (after one of
   * its events threw). On SQLite the applier and ingest share one writer: that transaction also
   * commits early as soon as deliveries wait. A batch applied at once is one short flush.
   */
  maxTransactionMs: number;
  /**
   * Longest wait for a flood to pass before a batch starts anyway. Ingest and the applier share
   * the main thread (and, on SQLite, the one writer connection): while deliveries pile up behind
   * each commit, the applier stands back so they are acknowledged at the speed of ingest alone,
   * then applies the backlog in full batches. At a steady rate it never waits; the bound keeps it
   * moving under a flood that never ends. On its own thread (WEBHOOK_APPLIER=thread) it is 0.
   */
  maxDeferMs: number;
  /**
   * SQLite: decide a batch (20 events or more) on a read connection before taking the write
   * connection, and write it there if the same reads answer the same (webhook-inbox.event-apply.ts).
   * On its own thread this keeps the write turn short; on the serving thread it only adds reads
   * (apply lag at a paced 1,000 events/s measured p50 55 ms with it, 25 ms without), so it is on
   * only there.
   */
  decideBeforeWriting: boolean;
}

export const DEFAULT_APPLIER_OPTIONS: ApplierOptions = {
  maxAttempts: 10,
  batchSize: 200,
  pollMs: 1000,
  retryBaseMs: 1000,
  retryMaxMs: 3_600_000,
  leaseMs: 30_000,
  maxTransactionMs: 250,
  maxDeferMs: 200,
  decideBeforeWriting: false,
};
