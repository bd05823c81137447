import type { EntityManager } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import { BackgroundLoop } from '../../background/background-loop';
import type { Logger } from '../../logging/logger';
import type { ProviderRegistry } from '../providers/provider-registry';
import { WebhookEventStatus } from '../../model/webhook-event-status';
import type { PaymentReconciler } from './payment-reconciler';
import type { OrderStatusChange, StatusChangeSink } from '../../model/status-change';
import type { ApplierOptions } from './webhook-inbox.applier-options';
import { batchAttributes, countApplied, reportFailures, WebhookEventApplying, type AfterCommitTask, type Translation } from './webhook-inbox.event-apply';
import type { DueEvent, EventResult, WebhookInboxStore } from './webhook-inbox.store';
import { factTables } from './detached-facts';
import { DueEventSource } from './webhook-inbox.due-source';
import { ResultsInFlight } from './webhook-inbox.results-in-flight';

export { DEFAULT_APPLIER_OPTIONS, type ApplierOptions } from './webhook-inbox.applier-options';
import { recordWebhookApplied } from '../../observability/metrics';
import { withSpan } from '../../observability/tracing';

/**
 * The inbox worker: drains stored events in receipt order and applies each through the
 * reconciler (facts → settlement → state machine → event log), many events per transaction: a
 * batch at once from preloaded rows, or, when one of its events throws, one event per savepoint so
 * that one rolls back alone. A failure is retried with exponential
 * backoff (`attempts`, `lastError`, `nextAttemptAt` on the row) and DEAD after `maxAttempts`.
 * The event's new status is recorded in the transaction that applied it (SQLite: as an application
 * in the payments file, copied to the inbox's own file after the commit, see InboxResults), so a
 * crash at any moment either applied it and recorded that, or did neither. Status changes are
 * published after commit.
 */
export class WebhookApplier extends BackgroundLoop {
  /** SQLite: events applied whose results are not in the inbox file yet. */
  private readonly results: ResultsInFlight;
  private readonly applying: WebhookEventApplying;
  /** The inbox's due events, or those ingest has just handed over (SQLite). */
  private readonly source: DueEventSource;

  constructor(
    private readonly em: EntityManager,
    private readonly store: WebhookInboxStore,
    private readonly sink: StatusChangeSink,
    providers: ProviderRegistry,
    reconciler: PaymentReconciler,
    logger: Logger,
    private readonly options: ApplierOptions,
    /** SQLite: writes committed events' results to the inbox's own file (see InboxResults); PostgreSQL wrote them in the transaction. */
    resultsToInbox: (results: EventResult[]) => Promise<void>,
  ) {
    super(logger, 'webhook inbox worker');
    this.source = new DueEventSource(store, options);
    this.results = new ResultsInFlight(resultsToInbox, () => this.wake());
    this.applying = new WebhookEventApplying(store, providers, reconciler, logger, options, factTables(store.knex, em.getMetadata(), store.kind));
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
    const translation = await this.applying.translate(event);
    const changes: OrderStatusChange[] = [];
    const results: EventResult[] = [];
    const tasks: AfterCommitTask[] = [];
    await this.em.fork().transactional(async (tx) => {
      const trx = tx.getTransactionContext() as Knex.Transaction;
      const current = await this.store.lockOne(trx, id);
      if (!current || current.status === WebhookEventStatus.APPLIED) return;
      // SQLite: applied before a crash left it in line; its recorded result goes to the inbox.
      const { alreadyApplied } = await this.store.stillDue(this.store.within(trx), [id]);
      if (alreadyApplied.length > 0) {
        results.push(...alreadyApplied);
        return;
      }
      const applied = await withSpan('webhook.apply', { provider: current.provider, 'webhook.type': current.type }, () => this.applying.applyOne(tx, current, translation));
      changes.push(...applied.changes);
      results.push(applied.result);
      tasks.push(...applied.tasks);
      await this.store.results.writeInside(this.store.within(trx), results);
    });
    for (const r of results) recordWebhookApplied(event.provider, r.status);
    await this.afterCommit(changes, results, tasks);
    // The operator reads the event's new status next.
    await this.results.settled();
    return 'done';
  }

  /** Until the next retry falls due (the read that finds it forgets it), at most `pollMs` (another instance may have appended). */
  protected pollMs(): number {
    return Math.max(0, Math.min(this.options.pollMs, this.source.nextRetryAt - Date.now()));
  }

  /** One round: read (claim) due events, translate them outside any transaction, apply them. */
  protected async round(): Promise<number> {
    // Results that could not be written: the loop backs off (as for a database it cannot reach) before looking again.
    const failed = this.results.takeError();
    if (failed) throw failed;
    this.wakeup.clear();
    const { events: read, more } = await this.source.next(this.results.size);
    // Events whose results are on their way to SQLite's inbox file are done: read past them, and
    // do not apply them again.
    const due = this.results.size === 0 ? read : read.filter((e) => !this.results.has(e.id));
    if (due.length > 0) {
      const translations = await Promise.all(due.map((event) => this.applying.translate(event)));
      for (let next = 0; next < due.length && !this.stopped; ) next = await this.applyChunk(due, translations, next);
    }
    // Otherwise this round took every event due when it began; one appended since woke this
    // loop, whose sleep then ends at once. Reading again anyway cost a read per batch (two, with
    // the rows whose results were still in flight), each paid on the serving thread.
    return more ? read.length : 0;
  }

  /** SQLite, on the appending thread: events just committed, applied at the next round without reading them back. */
  offer(appended: DueEvent[]): void {
    this.source.offer(appended);
    this.wakeup.wake();
  }

  /** Anything but an append (a replay, DEAD events put back, results that failed): the inbox is read at the next round. */
  override wake(): void {
    this.source.askRead();
    super.wake();
  }

  /** A start (again) reads the inbox first. */
  override start(): void {
    this.source.askRead();
    super.start();
  }

  /**
   * Applies events from `start`; returns where it stopped. First the whole batch at once, set-based
   * on detached entities in one short transaction (webhook-inbox.event-apply.ts). Should any event
   * throw, or any write fail, that transaction rolled back whole and the events are applied again
   * one per savepoint through the ORM, so the one at fault fails alone.
   */
  private async applyChunk(events: DueEvent[], translations: Translation[], start: number): Promise<number> {
    const batch = await withSpan('webhook.apply', batchAttributes(events.slice(start)), () => this.applying.applyBatch(events.slice(start), translations.slice(start)));
    if (batch) {
      countApplied(events, batch.results);
      await this.afterCommit(batch.changes, batch.results, batch.tasks);
      return events.length;
    }
    const changes: OrderStatusChange[] = [];
    const results: EventResult[] = [];
    const tasks: AfterCommitTask[] = [];
    let next = start;
    await this.em.fork().transactional(async (tx) => {
      const trx = tx.getTransactionContext() as Knex.Transaction;
      const { toApply, alreadyApplied } = await this.store.stillDue(this.store.within(trx), events.slice(start).map((e) => e.id));
      results.push(...alreadyApplied);
      const began = Date.now();
      while (next < events.length) {
        const event = events[next];
        const translation = translations[next++];
        if (!toApply.has(event.id)) continue;
        const applied = await withSpan('webhook.apply', { provider: event.provider, 'webhook.type': event.type }, () => this.applying.applyOne(tx, event, translation));
        changes.push(...applied.changes);
        results.push(applied.result);
        tasks.push(...applied.tasks);
        if (Date.now() - began >= this.options.maxTransactionMs) break;
      }
      await this.store.results.writeInside(this.store.within(trx), results);
    });
    countApplied(events, results);
    await this.afterCommit(changes, results, tasks);
    return next;
  }

  /**
   * After the batch commits: publish its status changes and run the work the domain queued for
   * after the commit (e.g. the automatic refund of a late payment, which calls the provider and
   * so must never run inside the transaction or for a rolled-back event).
   */
  private async afterCommit(changes: OrderStatusChange[], results: EventResult[], tasks: AfterCommitTask[]): Promise<void> {
    for (const change of changes) this.sink.publish(change);
    for (const task of tasks) await task().catch((err) => this.logger.error({ err }, 'a task queued after applying a webhook event failed'));
    this.source.nextRetryAt = Math.min(this.source.nextRetryAt, reportFailures(this.logger, results));
    // PostgreSQL wrote them in the applying transaction.
    if (this.store.kind === 'sqlite') this.results.send(results);
  }

  /** Stops after the round in hand, once its results are written. */
  override async stop(): Promise<void> {
    await super.stop();
    await this.results.settled();
  }
}
