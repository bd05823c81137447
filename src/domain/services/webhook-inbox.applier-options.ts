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
   * its events threw). A batch applied at once is one short flush.
   */
  maxTransactionMs: number;
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
  decideBeforeWriting: false,
};
