import type { EntityManager } from '@mikro-orm/core';
import { firstLineOf } from '../errors';
import type { Logger } from '../../logging/logger';
import type { PaymentAction } from '../providers/provider-events';
import type { ProviderRegistry } from '../providers/provider-registry';
import type { PaymentProvider } from '../../model/payment-types';
import { WebhookEventStatus } from '../../model/webhook-event-status';
import { DetachedOrderWork, loadDetachedFacts, type FactTables } from './detached-facts';
import { writeDetachedFacts } from './detached-facts.write';
import { OrderUnitOfWork, type OrderWork } from './order-transaction';
import type { PaymentReconciler } from './payment-reconciler';
import type { OrderStatusChange } from '../../model/status-change';
import { recordWebhookApplied } from '../../observability/metrics';
import type { ApplierOptions } from './webhook-inbox.applier-options';
import type { DueEvent, EventResult, WebhookInboxStore } from './webhook-inbox.store';
import type { SqlExecutor } from '../../db/sql-executor';
import { RepeatableReads } from '../../db/repeatable-reads';

export type Translation = PaymentAction[] | Error;

/** Batches from this size on are decided before taking SQLite's write connection (see applyBatch). */
const DECIDE_EARLY_FROM = 20;
/** Span attributes of a batch (one span applies many events): its size, providers and event types. */
export function batchAttributes(events: DueEvent[]): Record<string, number | string[]> {
  return {
    'webhook.batch': events.length,
    'webhook.providers': [...new Set(events.map((e) => e.provider))],
    'webhook.types': [...new Set(events.map((e) => e.type))],
  };
}
export type AfterCommitTask = OrderUnitOfWork['afterCommit'][number];
/** One event's outcome, the status changes to publish and the work to run once its batch commits. */
export type Applied = { result: EventResult; changes: OrderStatusChange[]; tasks: AfterCommitTask[] };

/**
 * How stored events are applied inside the worker's transaction (webhook-inbox.applier.ts): a
 * provider's event translated to facts outside any transaction, then a batch at once in one
 * savepoint, or one event per savepoint; each attempt's result (APPLIED, IGNORED, FAILED with its
 * backoff, DEAD) is returned for the worker to write in the same transaction.
 */
export class WebhookEventApplying {
  constructor(
    private readonly store: WebhookInboxStore,
    private readonly providers: ProviderRegistry,
    private readonly reconciler: PaymentReconciler,
    private readonly logger: Logger,
    private readonly options: ApplierOptions,
    private readonly tables: FactTables,
  ) {}

  /**
   * The whole batch in one transaction of its own: which events are still due, their orders'
   * facts read in a few set queries as detached entities, each event decided in memory by the
   * reconciler in receipt order, what changed written set-based (detached-facts*.ts), and the
   * events' results. Undefined when any of it threw: that transaction rolled back whole, and the
   * caller applies the events one per savepoint through the ORM, so the one at fault fails alone.
   *
   * SQLite, on the worker's own thread (`decideBeforeWriting`): the batch is decided first on a
   * read connection's snapshot, without the write turn. Under the turn the same reads are made
   * again: when they answer the same rows, the decision is written as it is; when anything moved,
   * the batch is decided again there. So the turn is held for reads and writes only, not for
   * deciding. A small batch (a steady trickle of events) is decided under the turn at once: reading
   * it twice would cost more than deciding it, and delay it.
   */
  async applyBatch(events: DueEvent[], translations: Translation[]): Promise<{ results: EventResult[]; changes: OrderStatusChange[]; tasks: AfterCommitTask[] } | undefined> {
    try {
      const early = this.options.decideBeforeWriting && this.store.kind === 'sqlite' && this.store.reads !== this.store.sql && events.length >= DECIDE_EARLY_FROM
        ? await this.store.reads.transaction(async (snapshot) => {
            const reads = new RepeatableReads(snapshot);
            return { reads, ...(await this.decide(reads, events, translations)) };
          })
        : undefined;
      return await this.store.sql.transaction(async (db) => {
        const unchanged = early !== undefined && (await early.reads.sameOn(db));
        if (early && !unchanged) this.logger.debug({ events: events.length }, "the batch's facts moved before it was written; deciding it again under the writer");
        const decided = unchanged ? early : await this.decide(db, events, translations);
        await writeDetachedFacts(db, this.tables, decided.uow);
        await this.store.results.writeInside(db, decided.results);
        return { results: decided.results, changes: decided.uow.changes, tasks: decided.uow.afterCommit };
      });
    } catch (error) {
      this.logger.debug({ err: error }, 'an event of the batch threw; applying the batch one event at a time');
      return undefined;
    }
  }

  /** The batch's events still due, decided in memory on their orders' facts as `db` reads them. */
  private async decide(db: SqlExecutor, events: DueEvent[], translations: Translation[]): Promise<{ uow: DetachedOrderWork; results: EventResult[] }> {
    const { toApply, alreadyApplied } = await this.store.stillDue(db, events.map((e) => e.id));
    const work = events.map((event, i) => ({ event, translation: translations[i] })).filter(({ event }) => toApply.has(event.id));
    const lookups = work.flatMap(({ event, translation }) =>
      translation instanceof Error ? [] : translation.flatMap((a) => (a.kind === 'ignored' ? [] : [{ provider: event.provider as PaymentProvider, ref: a.ref }])),
    );
    const uow = new DetachedOrderWork(await loadDetachedFacts(db, this.tables, lookups, { lockOrders: this.store.kind === 'postgresql' }));
    const results: EventResult[] = [...alreadyApplied];
    for (const { event, translation } of work) {
      // An event its provider adapter could not read touched nothing: it fails alone, here.
      if (translation instanceof Error) results.push(this.failure(event, translation));
      else results.push(this.success(event, await this.applyActions(uow, event, translation)));
    }
    return { uow, results };
  }

  /** A failed attempt: retried with exponential backoff, DEAD after `maxAttempts`. */
  private failure(event: DueEvent, error: unknown): EventResult {
    const attempts = event.attempts + 1;
    const message = firstLineOf(error);
    const dead = attempts >= this.options.maxAttempts;
    const nextAttemptAt = dead ? null : new Date(Date.now() + Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (attempts - 1)));
    const status = dead ? WebhookEventStatus.DEAD : WebhookEventStatus.FAILED;
    return { id: event.id, status, outcome: `${status}: ${message}`, orderId: null, attempts, lastError: message, nextAttemptAt, appliedAt: null };
  }

  private success(event: DueEvent, applied: { outcome: string; orderId: string | null }): EventResult {
    const status = applied.outcome.startsWith('IGNORED') ? WebhookEventStatus.IGNORED : WebhookEventStatus.APPLIED;
    return { id: event.id, status, outcome: applied.outcome, orderId: applied.orderId, attempts: event.attempts + 1, lastError: null, nextAttemptAt: null, appliedAt: new Date() };
  }

  async translate(event: DueEvent): Promise<Translation> {
    try {
      if (event.payload === null) throw new Error('the payload was dropped after WEBHOOK_PAYLOAD_RETENTION_DAYS');
      return await this.providers.get(event.provider as PaymentProvider).webhookActions(event.payload);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** One event in its own savepoint: a throw rolls back this event's work only. */
  async applyOne(tx: EntityManager, event: DueEvent, translation: Translation): Promise<Applied> {
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

  private async applyActions(uow: OrderWork, event: DueEvent, actions: PaymentAction[]): Promise<{ outcome: string; orderId: string | null }> {
    const provider = event.provider as PaymentProvider;
    const source = `${provider.toLowerCase()}:${event.eventId}`;
    const outcomes: string[] = [];
    let orderId: string | undefined;
    for (const action of actions) {
      const applied = await this.reconciler.apply(uow, provider, action, source);
      outcomes.push(applied.outcome);
      orderId ??= applied.orderId;
    }
    return { outcome: outcomes.length ? [...new Set(outcomes)].join('; ') : 'IGNORED: event type not handled', orderId: orderId ?? null };
  }
}

/** Counted once committed: a batch that fell back to one event per savepoint is counted once. */
export function countApplied(events: DueEvent[], results: EventResult[]): void {
  const providerOf = new Map(events.map((e) => [e.id, e.provider]));
  for (const r of results) recordWebhookApplied(providerOf.get(r.id) ?? 'unknown', r.status);
}

/** Logs each failed or DEAD result (after its commit); returns the earliest next attempt among them. */
export function reportFailures(logger: Logger, results: EventResult[]): number {
  let nextRetryAt = Number.POSITIVE_INFINITY;
  for (const r of results) {
    if (r.nextAttemptAt) nextRetryAt = Math.min(nextRetryAt, r.nextAttemptAt.getTime());
    if (r.status === WebhookEventStatus.DEAD) logger.error({ webhookEventId: r.id, attempts: r.attempts, lastError: r.lastError }, 'webhook event is DEAD after its last attempt; replay it once the cause is fixed');
    else if (r.status === WebhookEventStatus.FAILED) logger.warn({ webhookEventId: r.id, attempts: r.attempts, lastError: r.lastError, nextAttemptAt: r.nextAttemptAt }, 'webhook event failed; will retry');
  }
  return nextRetryAt;
}
