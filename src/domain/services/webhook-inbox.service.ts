import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';
import { WebhookEventEntity } from '../../db/entities';
import type { Logger } from '../../logging/logger';
import type { ProviderRegistry } from '../providers/provider-registry';
import { BadUserInputError, ConflictError, NotFoundError } from '../errors';
import type { PaymentProvider } from '../../model/payment-types';
import type { WebhookEventStatus } from '../../model/webhook-event-status';
import { pageSize, type Page } from './pagination';
import type { PaymentReconciler } from './payment-reconciler';
import type { StatusChangeSink } from '../../model/status-change';
import { GroupCommitAppender, type AppenderOptions } from './webhook-inbox.appender';
import { DEFAULT_APPLIER_OPTIONS, WebhookApplier, type ApplierOptions } from './webhook-inbox.applier';
import { PayloadRetention } from './webhook-inbox.retention';
import { WebhookInboxStore, type EventResult } from './webhook-inbox.store';
import { dueFromAppended } from './webhook-inbox.rows';
import { withSpan } from '../../observability/tracing';
import type { ApplierRunner, InboxThreading, InboxWiring } from './webhook-inbox.wiring';

export type { ApplierRunner, InboxThreading, InboxWiring } from './webhook-inbox.wiring';

/** `stored`: new, durable, applied shortly by the worker; `duplicate`: this event id was stored before. */
export type InboxResult = { result: 'stored' | 'duplicate'; eventId: string };

export interface InboxOptions extends ApplierOptions, AppenderOptions {
  /** WEBHOOK_PAYLOAD_RETENTION_DAYS. */
  payloadRetentionDays: number;
}

export const DEFAULT_INBOX_OPTIONS: Omit<InboxOptions, 'maxAttempts' | 'payloadRetentionDays'> = {
  ...DEFAULT_APPLIER_OPTIONS,
  maxQueued: 10_000,
  maxQueuedBytes: 64 * 1024 * 1024,
};

export interface WebhookEventFilter {
  first?: number;
  after?: string;
  provider?: PaymentProvider;
  status?: WebhookEventStatus;
  type?: string;
  orderId?: string;
}

/**
 * The provider-neutral webhook inbox (CONTRACT §3). Ingest verifies the signature (the adapter
 * throws WebhookVerificationError → 400), appends the event durably with group commit and answers;
 * the worker (WebhookApplier) applies it shortly after, retrying failures until DEAD. Operators
 * list, replay and put DEAD events back in line.
 */
export class WebhookInboxService {
  private readonly store: WebhookInboxStore;
  private readonly appender: GroupCommitAppender;
  private readonly applier: WebhookApplier;
  private readonly retention: PayloadRetention;
  private runner: ApplierRunner;

  constructor(
    private readonly em: EntityManager,
    sink: StatusChangeSink,
    private readonly providers: ProviderRegistry,
    reconciler: PaymentReconciler,
    logger: Logger,
    options: InboxOptions,
    database: 'sqlite' | 'postgresql',
    wiring: InboxWiring = {},
  ) {
    const { appending } = wiring;
    const owner = appending?.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.store = new WebhookInboxStore((em.getConnection() as AbstractSqlConnection).getKnex(), database, owner, options.leaseMs, wiring.readKnex, wiring.appendKnex);
    // SQLite applying here: the appended events are handed over (PostgreSQL claims what it applies, with the read).
    this.appender = new GroupCommitAppender(this.store, options, (appended) =>
      this.runner === this.applier && database === 'sqlite' ? this.applier.offer(appended.map(dueFromAppended)) : this.runner.wake(),
    );
    // SQLite: results go to the inbox file through the appending thread's group commit (here, or posted to it).
    const resultsToInbox = database === 'postgresql' ? async () => {} : (wiring.resultsToInbox ?? ((results: EventResult[]) => this.appender.writeResults(results)));
    this.applier = new WebhookApplier(em, this.store, sink, providers, reconciler, logger, options, resultsToInbox);
    this.runner = this.applier;
    this.retention = new PayloadRetention(this.store, options.payloadRetentionDays, logger);
  }

  /** What a worker thread needs to apply this inbox's events (`elsewhere` of `start`). */
  get threading(): InboxThreading {
    return { owner: this.store.owner };
  }

  /**
   * Starts the worker (it first applies whatever a previous run left unapplied), here or
   * `elsewhere` (a worker thread; started again after a stop, it stays there), and the retention sweep.
   */
  async start(elsewhere?: ApplierRunner): Promise<void> {
    await this.store.init();
    this.runner = elsewhere ?? this.runner;
    await this.runner.start();
    this.retention.start();
  }

  /** In the worker's own thread: only the loop; the appending thread stores, sweeps and replays. */
  startApplying(): void {
    this.applier.start();
  }

  /** Whether a delivery could be stored now (`/readyz`): on SQLite the inbox is a file of its own. */
  canStore(): Promise<boolean> {
    return this.store.canAppend();
  }

  /** SQLite: committed results of the worker's thread, written with the next group commit. */
  writeResultsToInbox(results: EventResult[]): Promise<void> {
    return this.appender.writeResults(results);
  }

  /** Something was appended or put back in line: the worker looks now. */
  wakeApplier(): void {
    this.runner.wake();
  }

  /** Stops taking work; events not applied yet stay stored for the next start. */
  async stop(): Promise<void> {
    this.retention.stop();
    await this.runner.stop();
  }

  async receive(provider: PaymentProvider, rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<InboxResult> {
    const webhook = await withSpan('webhook.verify', { provider }, () => this.providers.get(provider).verifyWebhook(rawBody, headers));
    const result = await withSpan('webhook.append', { provider, 'webhook.type': webhook.type }, () => this.appender.append({
      id: randomUUID(),
      provider,
      eventId: webhook.eventId,
      type: webhook.type,
      payload: webhook.body ?? rawBody.toString('utf8'),
      receivedAt: new Date(),
    }));
    return { result, eventId: webhook.eventId };
  }

  /** Newest first (by receipt order). */
  async list(filter: WebhookEventFilter): Promise<Page<WebhookEventEntity>> {
    const first = pageSize(filter.first);
    const where: FilterQuery<WebhookEventEntity> = {};
    if (filter.provider) where.provider = filter.provider;
    if (filter.status) where.status = filter.status;
    if (filter.type) where.type = filter.type;
    if (filter.orderId) where.orderId = filter.orderId;
    const em = this.em.fork();
    const totalCount = await em.count(WebhookEventEntity, where);
    const after = filter.after == null ? undefined : decodeSeqCursor(filter.after);
    const rows = await em.find(WebhookEventEntity, after === undefined ? where : { ...where, seq: { $lt: after } }, { orderBy: { seq: 'desc' }, limit: first + 1 });
    const nodes = rows.slice(0, first);
    return { nodes, cursors: nodes.map((n) => encodeSeqCursor(n.seq)), hasNextPage: rows.length > first, hasPreviousPage: after !== undefined, totalCount };
  }

  async get(id: string): Promise<WebhookEventEntity | null> {
    return this.em.fork().findOne(WebhookEventEntity, { id });
  }

  /** Applies a stored event again now; replaying an APPLIED event changes nothing. */
  async replay(id: string): Promise<WebhookEventEntity> {
    const outcome = await this.applier.replay(id);
    if (outcome === 'not_found') throw new NotFoundError('Webhook event', id);
    if (outcome === 'no_payload') throw new ConflictError(`Webhook event ${id} has no payload any more (dropped after WEBHOOK_PAYLOAD_RETENTION_DAYS); nothing to replay`);
    return (await this.get(id))!;
  }

  /** Runs the payload retention sweep now (it also runs at start and hourly); returns how many payloads were dropped. */
  sweepRetention(): Promise<number> {
    return this.retention.sweep();
  }

  /** Puts every DEAD event back in line with its attempts reset; returns how many. */
  async retryDead(): Promise<number> {
    const count = await this.store.retryDead();
    if (count > 0) this.runner.wake();
    return count;
  }
}

function encodeSeqCursor(seq: number): string {
  return Buffer.from(`w${seq}`).toString('base64url');
}

function decodeSeqCursor(cursor: string): number {
  const match = /^w(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new BadUserInputError(`'${cursor.slice(0, 40)}' is not a cursor returned by webhookEvents`, 'after');
  return Number(match[1]);
}
