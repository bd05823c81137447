import { Webhook } from 'standardwebhooks';
import type { OutboundWebhooksConfig } from '../config/config';
import { Coalescer } from '../db/coalescer';
import type { Logger } from '../logging/logger';
import { recordOutboundAttempt } from '../observability/outbound-metrics';
import { BackgroundLoop } from '../background/background-loop';
import { DeliveryStatus, type DeliveryResult, type DueDelivery } from './delivery-types';
import { postWebhook, type AttemptOutcome, type Resolve } from './http-sender';
import type { OutboundStore } from './outbound.store';

/** Deliveries held (in flight or claimed and waiting) by one instance at most, across endpoints. */
const MAX_HELD = 500;
const POLL_MS = 1000;
/** Longest wait between two attempts, whatever the backoff says. */
const MAX_STEP_MS = 12 * 3_600_000;

/**
 * Sends queued deliveries: each endpoint has at most `concurrency` in flight, and a claim never
 * takes more of an endpoint that is already at its limit, so a slow endpoint's backlog waits for
 * that endpoint alone. Attempts are written back in batches (concurrent answers share one
 * transaction). A failure is retried with exponential backoff and jitter until the retry window
 * closes, then the delivery is FAILED; an endpoint failing for `disableAfterMs` is disabled.
 */
export class DeliveryWorker extends BackgroundLoop {
  private readonly held = new Map<string, { queue: DueDelivery[]; inFlight: number }>();
  private readonly writes: Coalescer<DeliveryResult, void>;
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly store: OutboundStore,
    private readonly config: OutboundWebhooksConfig,
    private readonly resolve: Resolve,
    logger: Logger,
  ) {
    super(logger, 'outbound webhook worker');
    this.writes = new Coalescer(async (results) => {
      const disabled = await this.store.writeResults(results, this.config.disableAfterMs);
      for (const id of disabled) this.logger.error({ endpointId: id }, 'outbound webhook endpoint disabled: every delivery failed for the whole window; re-create it once it answers');
      return results.map(() => ({ ok: true as const, value: undefined }));
    });
  }

  /** Stops claiming, lets attempts in flight finish and be recorded; claimed ones not yet sent go back when their lease ends. */
  override async stop(): Promise<void> {
    await super.stop();
    await Promise.all([...this.sending]);
  }

  private heldCount(): number {
    let n = 0;
    for (const h of this.held.values()) n += h.queue.length + h.inFlight;
    return n;
  }

  /** Releases a dead predecessor's claims (SQLite) before the first round. */
  protected override async prepare(): Promise<void> {
    await this.store.init().catch((err: unknown) => this.logger.warn({ err }, 'outbound webhooks: could not release the claims of the previous process; they expire with their lease'));
  }

  protected pollMs(): number {
    return POLL_MS;
  }

  /** Claims what the endpoints have room for and starts sending; returns how many were claimed. */
  protected async round(): Promise<number> {
    this.wakeup.clear();
    const room = MAX_HELD - this.heldCount();
    const full = [...this.held].filter(([, h]) => h.queue.length + h.inFlight >= this.config.concurrency).map(([id]) => id);
    // The lease covers waiting behind this endpoint's in-flight attempts, then one attempt.
    const due = room > 0 ? await this.store.claim(room, this.config.concurrency, full, 2 * this.config.timeoutMs + 30_000) : [];
    for (const d of due) this.slot(d.endpointId).queue.push(d);
    this.pump();
    return due.length;
  }


  private slot(endpointId: string) {
    let h = this.held.get(endpointId);
    if (!h) this.held.set(endpointId, (h = { queue: [], inFlight: 0 }));
    return h;
  }

  private pump(): void {
    for (const [endpointId, h] of this.held) {
      while (h.inFlight < this.config.concurrency && h.queue.length > 0 && !this.stopped) {
        const delivery = h.queue.shift()!;
        h.inFlight++;
        const sending = this.send(delivery).finally(() => {
          h.inFlight--;
          this.sending.delete(sending);
          if (h.inFlight === 0 && h.queue.length === 0) this.held.delete(endpointId);
          this.pump();
          // Claim more only when this endpoint's local queue runs low: one claim per half a
          // concurrency's worth of answers, not one per answer (SQLite has one writer).
          if (h.queue.length <= this.config.concurrency / 2) this.wakeup.wake();
        });
        this.sending.add(sending);
      }
    }
  }

  private async send(delivery: DueDelivery): Promise<void> {
    const attemptedAt = new Date();
    let outcome: AttemptOutcome;
    try {
      const signature = new Webhook(delivery.secret).sign(delivery.messageId, attemptedAt, delivery.payload);
      const headers = { 'webhook-id': delivery.messageId, 'webhook-timestamp': String(Math.floor(attemptedAt.getTime() / 1000)), 'webhook-signature': signature };
      outcome = await postWebhook(delivery.url, headers, delivery.payload, { timeoutMs: this.config.timeoutMs, publicOnly: this.config.production, resolve: this.resolve });
    } catch (error) {
      outcome = { ok: false, statusCode: null, durationMs: Date.now() - attemptedAt.getTime(), error: error instanceof Error ? error.message : String(error), responseBody: null };
    }
    const result = this.decide(delivery, outcome, attemptedAt);
    const label = outcome.ok ? 'delivered' : outcome.error?.startsWith('refused:') ? 'refused' : result.status === DeliveryStatus.FAILED ? 'failed' : 'retry';
    recordOutboundAttempt(label, outcome.durationMs / 1000);
    if (result.status === DeliveryStatus.FAILED) this.logger.warn({ deliveryId: delivery.id, endpointId: delivery.endpointId, attempts: delivery.attempts + 1, lastError: outcome.error }, 'outbound webhook delivery FAILED after its retry window');
    await this.writes.submit(result).catch((err: unknown) => this.logger.error({ err, deliveryId: delivery.id }, 'could not record an outbound webhook attempt; the delivery is retried when its claim expires'));
  }

  private decide(delivery: DueDelivery, outcome: AttemptOutcome, attemptedAt: Date): DeliveryResult {
    const attempt = { attemptedAt, statusCode: outcome.statusCode, durationMs: outcome.durationMs, error: outcome.error, responseBody: outcome.responseBody };
    if (outcome.ok) return { delivery, attempt, status: DeliveryStatus.DELIVERED, nextAttemptAt: null };
    const step = Math.min(this.config.retryBaseMs * 2 ** delivery.attempts, MAX_STEP_MS);
    const next = new Date(Date.now() + step * (0.5 + Math.random()));
    if (next.getTime() - delivery.createdAt.getTime() > this.config.retryWindowMs) return { delivery, attempt, status: DeliveryStatus.FAILED, nextAttemptAt: null, failingUntil: next };
    return { delivery, attempt, status: DeliveryStatus.PENDING, nextAttemptAt: next, failingUntil: attemptedAt };
  }
}
