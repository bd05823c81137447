import type { IdempotencyService } from './idempotency.service';

/** Sweeps at least every 10 minutes, and more often when keys live shorter than that. */
const MAX_INTERVAL_MS = 10 * 60_000;
const MIN_INTERVAL_MS = 1000;

/**
 * Deletes expired idempotency keys in the background. Expiry itself does not depend on it (a claim
 * treats an expired row as absent); the sweep only keeps the table small. The timer is unref'd so
 * it never holds the process open, and `stop()` waits for a sweep in flight so the database can close.
 */
export class IdempotencySweeper {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly keys: IdempotencyService,
    private readonly ttlMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.timer) return;
    const interval = Math.min(Math.max(this.ttlMs, MIN_INTERVAL_MS), MAX_INTERVAL_MS);
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.keys.sweepExpired().then(() => undefined, this.onError));
    }, interval);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
