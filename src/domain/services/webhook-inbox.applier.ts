import type { EntityManager } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import type { Logger } from '../../logging/logger';
import type { PaymentAction } from '../../providers/provider-events';
import type { ProviderRegistry } from '../../providers/provider-registry';
import type { PaymentProvider } from '../payment-types';
import { WebhookEventStatus } from '../webhook-event-status';
import { KnownPayments } from './known-payments';
import { OrderUnitOfWork } from './order-transaction';
import type { PaymentReconciler } from './payment-reconciler';
import type { OrderStatusChange, StatusChangeSink } from './status-change';
import type { DueEvent, EventResult, WebhookInboxStore } from './webhook-inbox.store';
import { recordWebhookApplied } from '../../observability/metrics';
import { withSpan } from '../../observability/tracing';

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
   * moving under a flood that never ends.
   */
  maxDeferMs: number;
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
};

type Translation = PaymentAction[] | Error;
/** Span attributes of a batch (one span applies many events): its size, providers and event types. */
function batchAttributes(events: DueEvent[]): Record<string, number | string[]> {
  return {
    'webhook.batch': events.length,
    'webhook.providers': [...new Set(events.map((e) => e.provider))],
    'webhook.types': [...new Set(events.map((e) => e.type))],
  };
}
type AfterCommitTask = OrderUnitOfWork['afterCommit'][number];
/** One event's outcome, the status changes to publish and the work to run once its batch commits. */
type Applied = { result: EventResult; changes: OrderStatusChange[]; tasks: AfterCommitTask[] };

/**
 * The inbox worker: drains stored events in receipt order and applies each through the
 * reconciler (facts → settlement → state machine → event log), many events per transaction: a
 * batch at once from preloaded rows, or, when one of its events throws, one event per savepoint so
 * that one rolls back alone. A failure is retried with exponential
 * backoff (`attempts`, `lastError`, `nextAttemptAt` on the row) and DEAD after `maxAttempts`.
 * The event's new status is written in the transaction that applied it, so a crash at any moment
 * either applied it and recorded that, or did neither. Status changes are published after commit.
 */
export class WebhookApplier {
  private running?: Promise<void>;
  private stopped = true;
  private wakeRequested = false;
  private wakeSleeper?: () => void;
  private nextRetryAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly em: EntityManager,
    private readonly store: WebhookInboxStore,
    private readonly sink: StatusChangeSink,
    private readonly providers: ProviderRegistry,
    private readonly reconciler: PaymentReconciler,
    private readonly logger: Logger,
    private readonly options: ApplierOptions,
    /** Deliveries waiting to be appended: on SQLite the applier commits early for them. */
    private readonly ingestWaiting: () => number,
    /** Deliveries pile up behind ingest's commits: the applier defers a new batch (up to `maxDeferMs`). */
    private readonly ingestFlooded: () => boolean = () => false,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.loop();
  }

  /** Finishes the batch in hand and stops; unapplied events stay stored for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
  }

  /** Something was appended (or put back in line): apply it now rather than at the next poll. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeSleeper?.();
  }

  /**
   * Applies one stored event now, whatever its status except APPLIED (replaying an applied event
   * changes nothing). Retention may have dropped the payload, and then there is nothing to apply.
   */
  async replay(id: string): Promise<'not_found' | 'no_payload' | 'done'> {
    const event = await this.em.fork().transactional(async (tx) => this.store.lockOne(tx.getTransactionContext() as Knex.Transaction, id));
    if (!event) return 'not_found';
    if (event.status === WebhookEventStatus.APPLIED) return 'done';
    if (event.payload === null) return 'no_payload';
    const translation = await this.translate(event);
    const changes: OrderStatusChange[] = [];
    const results: EventResult[] = [];
    const tasks: AfterCommitTask[] = [];
    await this.em.fork().transactional(async (tx) => {
      const trx = tx.getTransactionContext() as Knex.Transaction;
      const current = await this.store.lockOne(trx, id);
      if (!current || current.status === WebhookEventStatus.APPLIED) return;
      const applied = await withSpan('webhook.apply', { provider: current.provider, 'webhook.type': current.type }, () => this.applyOne(tx, current, translation));
      changes.push(...applied.changes);
      results.push(applied.result);
      tasks.push(...applied.tasks);
      await this.store.writeResults(trx, results);
    });
    for (const r of results) recordWebhookApplied(event.provider, r.status);
    await this.afterCommit(changes, results, tasks);
    return 'done';
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      let worked = 0;
      try {
        worked = await this.drainOnce();
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.warn({ err: error, failures }, 'webhook inbox worker could not reach the database; retrying');
        await this.sleep(Math.min(5000, 100 * 2 ** failures));
        continue;
      }
      if (worked > 0) continue;
      if (this.nextRetryAt <= Date.now()) this.nextRetryAt = Number.POSITIVE_INFINITY;
      await this.sleep(Math.max(0, Math.min(this.options.pollMs, this.nextRetryAt - Date.now())));
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested || this.stopped) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        this.wakeRequested = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleeper = done;
    });
  }

  /** One round: read (claim) due events, translate them outside any transaction, apply them. */
  private async drainOnce(): Promise<number> {
    await this.deferToIngest();
    this.wakeRequested = false;
    const due = await this.store.due(this.options.batchSize);
    if (due.length === 0) return 0;
    const translations = await Promise.all(due.map((event) => this.translate(event)));
    for (let next = 0; next < due.length && !this.stopped; ) next = await this.applyChunk(due, translations, next);
    return due.length;
  }

  /** Waits while ingest is flooded, at most `maxDeferMs` (every commit of ingest wakes the applier, which looks again). */
  private async deferToIngest(): Promise<void> {
    const until = Date.now() + this.options.maxDeferMs;
    while (this.ingestFlooded() && !this.stopped && Date.now() < until) await this.sleep(Math.min(10, until - Date.now()));
  }

  /**
   * Applies events from `start` in one transaction; returns where it stopped. First the whole
   * batch at once: its attempts and orders preloaded in a few set queries, each event decided in
   * memory by the reconciler in receipt order, one flush (multi-row inserts, batched updates) in
   * one savepoint. Should any event throw or the flush fail, that savepoint is rolled back and the
   * chunk is applied again one event per savepoint, so the one at fault fails alone.
   */
  private async applyChunk(events: DueEvent[], translations: Translation[], start: number): Promise<number> {
    const changes: OrderStatusChange[] = [];
    const results: EventResult[] = [];
    const tasks: AfterCommitTask[] = [];
    let next = start;
    await this.em.fork().transactional(async (tx) => {
      const trx = tx.getTransactionContext() as Knex.Transaction;
      const stillDue = await this.store.stillDue(trx, events.slice(start).map((e) => e.id));
      const batch = await withSpan('webhook.apply', batchAttributes(events.slice(start)), () => this.applyBatch(tx, events.slice(start), translations.slice(start), stillDue));
      if (batch) {
        changes.push(...batch.changes);
        results.push(...batch.results);
        tasks.push(...batch.tasks);
        next = events.length;
      } else {
        const began = Date.now();
        while (next < events.length) {
          const event = events[next];
          const translation = translations[next++];
          if (!stillDue.has(event.id)) continue;
          const applied = await withSpan('webhook.apply', { provider: event.provider, 'webhook.type': event.type }, () => this.applyOne(tx, event, translation));
          changes.push(...applied.changes);
          results.push(applied.result);
          tasks.push(...applied.tasks);
          if (Date.now() - began >= this.options.maxTransactionMs || (this.store.kind === 'sqlite' && this.ingestWaiting() > 0)) break;
        }
      }
      await this.store.writeResults(trx, results);
    });
    // Counted once committed: a batch that fell back to one event per savepoint is counted once.
    const providerOf = new Map(events.map((e) => [e.id, e.provider]));
    for (const r of results) recordWebhookApplied(providerOf.get(r.id) ?? 'unknown', r.status);
    await this.afterCommit(changes, results, tasks);
    return next;
  }

  /** The whole batch in one savepoint and one flush; undefined when any of it threw (rolled back). */
  private async applyBatch(
    tx: EntityManager,
    events: DueEvent[],
    translations: Translation[],
    stillDue: Set<string>,
  ): Promise<{ results: EventResult[]; changes: OrderStatusChange[]; tasks: AfterCommitTask[] } | undefined> {
    const stillDueWork = events.map((event, i) => ({ event, translation: translations[i] })).filter(({ event }) => stillDue.has(event.id));
    try {
      return await tx.transactional(
        async (inner) => {
          const lookups = stillDueWork.flatMap(({ event, translation }) =>
            (translation as PaymentAction[]).flatMap((a) => (a.kind === 'ignored' ? [] : [{ provider: event.provider as PaymentProvider, ref: a.ref }])),
          );
          const known = await KnownPayments.load(inner, lookups, { lockOrders: this.store.kind === 'postgresql' });
          const uow = new OrderUnitOfWork(inner);
          const results: EventResult[] = [];
          for (const { event, translation } of stillDueWork) {
            // An event its provider adapter could not read touched nothing: it fails alone, here.
            if (translation instanceof Error) {
              results.push(this.failure(event, translation));
              continue;
            }
            const applied = await this.applyActions(uow, event, translation as PaymentAction[], known);
            results.push(this.success(event, applied));
          }
          return { results, changes: uow.changes, tasks: uow.afterCommit };
        },
        { clear: true },
      );
    } catch (error) {
      this.logger.debug({ err: error }, 'an event of the batch threw; applying the batch one event at a time');
      return undefined;
    } finally {
      tx.clear();
    }
  }

  /** A failed attempt: retried with exponential backoff, DEAD after `maxAttempts`. */
  private failure(event: DueEvent, error: unknown): EventResult {
    const attempts = event.attempts + 1;
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const dead = attempts >= this.options.maxAttempts;
    const nextAttemptAt = dead ? null : new Date(Date.now() + Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (attempts - 1)));
    const status = dead ? WebhookEventStatus.DEAD : WebhookEventStatus.FAILED;
    return { id: event.id, status, outcome: `${status}: ${message}`, orderId: null, attempts, lastError: message, nextAttemptAt, appliedAt: null };
  }

  private success(event: DueEvent, applied: { outcome: string; orderId: string | null }): EventResult {
    const status = applied.outcome.startsWith('IGNORED') ? WebhookEventStatus.IGNORED : WebhookEventStatus.APPLIED;
    return { id: event.id, status, outcome: applied.outcome, orderId: applied.orderId, attempts: event.attempts + 1, lastError: null, nextAttemptAt: null, appliedAt: new Date() };
  }

  private async translate(event: DueEvent): Promise<Translation> {
    try {
      if (event.payload === null) throw new Error('the payload was dropped after WEBHOOK_PAYLOAD_RETENTION_DAYS');
      return await this.providers.get(event.provider as PaymentProvider).webhookActions(event.payload);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** One event in its own savepoint: a throw rolls back this event's work only. */
  private async applyOne(tx: EntityManager, event: DueEvent, translation: Translation): Promise<Applied> {
    const attempts = event.attempts + 1;
    try {
      if (translation instanceof Error) throw translation;
      let changes: OrderStatusChange[] = [];
      let tasks: AfterCommitTask[] = [];
      const applied = await tx.transactional(
        async (inner) => {
          const uow = new OrderUnitOfWork(inner);
          const outcome = await this.applyActions(uow, event, translation);
          changes = uow.changes;
          tasks = uow.afterCommit;
          return outcome;
        },
        { clear: true },
      );
      return { result: this.success(event, applied), changes, tasks };
    } catch (error) {
      return { result: this.failure(event, error), changes: [], tasks: [] };
    } finally {
      // The savepoint's entities were merged into the batch's context; the next event starts clean.
      tx.clear();
    }
  }

  private async applyActions(uow: OrderUnitOfWork, event: DueEvent, actions: PaymentAction[], known?: KnownPayments): Promise<{ outcome: string; orderId: string | null }> {
    const provider = event.provider as PaymentProvider;
    const source = `${provider.toLowerCase()}:${event.eventId}`;
    const outcomes: string[] = [];
    let orderId: string | undefined;
    for (const action of actions) {
      const applied = await this.reconciler.apply(uow, provider, action, source, known);
      outcomes.push(applied.outcome);
      orderId ??= applied.orderId;
    }
    return { outcome: outcomes.length ? [...new Set(outcomes)].join('; ') : 'IGNORED: event type not handled', orderId: orderId ?? null };
  }

  /**
   * After the batch commits: publish its status changes and run the work the domain queued for
   * after the commit (e.g. the automatic refund of a late payment, which calls the provider and
   * so must never run inside the transaction or for a rolled-back event).
   */
  private async afterCommit(changes: OrderStatusChange[], results: EventResult[], tasks: AfterCommitTask[]): Promise<void> {
    for (const change of changes) this.sink.publish(change);
    for (const task of tasks) await task().catch((err) => this.logger.error({ err }, 'a task queued after applying a webhook event failed'));
    for (const r of results) {
      if (r.nextAttemptAt) this.nextRetryAt = Math.min(this.nextRetryAt, r.nextAttemptAt.getTime());
      if (r.status === WebhookEventStatus.DEAD) this.logger.error({ webhookEventId: r.id, attempts: r.attempts, lastError: r.lastError }, 'webhook event is DEAD after its last attempt; replay it once the cause is fixed');
      else if (r.status === WebhookEventStatus.FAILED) this.logger.warn({ webhookEventId: r.id, attempts: r.attempts, lastError: r.lastError, nextAttemptAt: r.nextAttemptAt }, 'webhook event failed; will retry');
    }
  }
}
