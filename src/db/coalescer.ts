/** What one submitted item came to: its value, or the error that failed it alone. */
export type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

/**
 * Coalesces concurrent requests into batches without a timer: the first item runs at once, and
 * items submitted while a batch is in flight wait for it and then go together in the next one
 * (at most `maxBatch`). Idle, it adds no latency; busy, one round trip serves many requests.
 * A batch that throws fails all of its items.
 */
export class Coalescer<I, O> {
  private queue: { item: I; resolve(value: O): void; reject(error: unknown): void }[] = [];
  private running = false;

  constructor(
    private readonly runBatch: (items: I[]) => Promise<Settled<O>[]>,
    private readonly maxBatch = 128,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        let results: Settled<O>[];
        try {
          results = await this.runBatch(batch.map((b) => b.item));
        } catch (error) {
          for (const b of batch) b.reject(error);
          continue;
        }
        batch.forEach((b, i) => {
          const r = results[i];
          if (r.ok) b.resolve(r.value);
          else b.reject(r.error);
        });
      }
    } finally {
      this.running = false;
    }
  }
}
