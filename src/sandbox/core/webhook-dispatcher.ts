import type { DeliveryRecord, SandboxProvider, WebhookJob } from './sandbox.types';

/** An event the sandbox generated, kept so tests can inspect or redeliver it. */
export interface GeneratedEvent {
  provider: SandboxProvider;
  eventId: string;
  eventType: string;
  createdAt: string;
  job: WebhookJob;
}

/** Settings of a {@link WebhookDispatcher}. */
export interface DispatcherOptions {
  retryDelaysMs: readonly number[];
  timeoutMs: number;
  /** Read on every attempt: the target may change after start. */
  urlFor(provider: SandboxProvider): string | undefined;
  log(msg: string, data?: Record<string, unknown>): void;
}

/**
 * At-least-once webhook delivery with retries, holding and redelivery.
 * Every delivery (including each copy and each redelivery) gets its own
 * {@link DeliveryRecord}; every attempt re-signs the body, as providers do.
 */
export class WebhookDispatcher {
  readonly events: GeneratedEvent[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  private readonly held = new Map<SandboxProvider, boolean>();
  private readonly heldJobs: WebhookJob[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();
  private idleWaiters: (() => void)[] = [];
  private pending = 0;
  private closed = false;

  constructor(private readonly opts: DispatcherOptions) {}

  /** Record the event and send it now, or park it while its provider is held. */
  enqueue(job: WebhookJob): void {
    if (this.closed) return;
    this.events.push({ provider: job.provider, eventId: job.eventId, eventType: job.eventType, createdAt: new Date().toISOString(), job });
    if (this.held.get(job.provider)) this.heldJobs.push(job);
    else void this.deliver(job, 1);
  }

  /** Hold (queue without sending) or stop holding a provider's webhooks; undefined = both. */
  hold(provider: SandboxProvider | undefined, hold: boolean): void {
    for (const p of provider ? [provider] : (['stripe', 'paypal'] as const)) this.held.set(p, hold);
  }

  /**
   * Send held jobs (of one provider or all): the given event ids first, in that
   * order (ids not held are ignored), then the rest in arrival order. Events go
   * one after another (each waits for the previous one's first attempt) so the
   * receiver sees the chosen order; the `copies` of one event go concurrently.
   * Returns the event ids in sending order.
   */
  release(provider: SandboxProvider | undefined, order: string[] = [], copies = 1): string[] {
    const mine = this.heldJobs.filter((j) => !provider || j.provider === provider);
    const ordered = [
      ...order.flatMap((id) => mine.filter((j) => j.eventId === id)),
      ...mine.filter((j) => !order.includes(j.eventId)),
    ];
    for (const job of mine) this.heldJobs.splice(this.heldJobs.indexOf(job), 1);
    this.pending++;
    void (async () => {
      for (const job of ordered) if (!this.closed) await this.deliver(job, copies);
      this.done();
    })();
    return ordered.map((j) => j.eventId);
  }

  /** Send an already generated event again; false when the id is unknown. */
  redeliver(eventId: string, copies = 1): boolean {
    const event = this.events.find((e) => e.eventId === eventId);
    if (!event) return false;
    void this.deliver(event.job, copies);
    return true;
  }

  /** Resolves when nothing is in flight or waiting for a retry (held jobs do not count). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancel retries and in-flight attempts; later enqueues are ignored. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    for (const a of this.aborts) a.abort();
    this.timers.clear();
    this.pending = 0;
    this.settle();
  }

  /** Start `copies` deliveries of a job; resolves when each has made its first attempt. */
  private async deliver(job: WebhookJob, copies: number): Promise<void> {
    const first: Promise<void>[] = [];
    for (let i = 0; i < copies; i++) {
      const url = this.opts.urlFor(job.provider);
      const record: DeliveryRecord = { provider: job.provider, eventId: job.eventId, eventType: job.eventType, attempts: [], delivered: false, url };
      this.deliveries.push(record);
      // No target is a normal state (e.g. webhooks not wired yet): recorded, not an error.
      if (!url) continue;
      this.pending++;
      first.push(this.attempt(job, record, 0));
    }
    await Promise.all(first);
  }

  /** One attempt; on failure schedules the next. Resolves when this attempt is recorded. */
  private async attempt(job: WebhookJob, record: DeliveryRecord, attemptNo: number): Promise<void> {
    const url = this.opts.urlFor(job.provider) ?? record.url ?? '';
    const started = Date.now();
    const abort = new AbortController();
    this.aborts.add(abort);
    const timer = setTimeout(() => abort.abort(new Error('timeout')), this.opts.timeoutMs);
    timer.unref();
    let status: number | 'timeout' | 'error';
    let error: string | undefined;
    try {
      const headers = { 'content-type': 'application/json; charset=utf-8', ...job.sign(job.body) };
      const res = await fetch(url, { method: 'POST', headers, body: job.body, signal: abort.signal });
      await res.arrayBuffer().catch(() => undefined);
      status = res.status;
    } catch (err) {
      status = abort.signal.aborted && !this.closed ? 'timeout' : 'error';
      error = err instanceof Error ? err.message : String(err);
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
    }
    if (this.closed) return;
    record.attempts.push({ at: new Date(started).toISOString(), status, durationMs: Date.now() - started, ...(error ? { error } : {}) });
    if (typeof status === 'number' && status >= 200 && status < 300) {
      record.delivered = true;
      return this.done();
    }
    const delay = this.opts.retryDelaysMs[attemptNo];
    this.opts.log('webhook attempt failed', { eventId: job.eventId, status, retryInMs: delay });
    if (delay === undefined) return this.done();
    const retry = setTimeout(() => {
      this.timers.delete(retry);
      void this.attempt(job, record, attemptNo + 1);
    }, delay);
    retry.unref();
    this.timers.add(retry);
  }

  private done(): void {
    this.pending = Math.max(0, this.pending - 1);
    this.settle();
  }

  private settle(): void {
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
