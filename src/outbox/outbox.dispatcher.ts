import { setTimeout as delay } from 'node:timers/promises';
import type { SqlExecutor } from '../db/sql-executor';
import type { Logger } from '../logging/logger';
import type { OutboxChange, OutboxStore } from './outbox.store';
import { BackgroundLoop } from '../background/background-loop';

/** Where dispatched changes go: subscribers at once, and (optionally) the outbound deliveries queued in the removing transaction. */
export interface OutboxConsumers {
  /** Live subscribers (in process and, through the relay, other instances). Must not throw. */
  publish(changes: OutboxChange[]): void;
  /** Queues what merchant endpoints must receive, in the transaction that removes the rows. */
  enqueue?(db: SqlExecutor, changes: OutboxChange[]): Promise<void>;
  /** Called after that transaction committed (e.g. to wake the delivery worker). */
  afterEnqueue?(): void;
}

export interface OutboxDispatcherOptions {
  /** Rows claimed per round trip. */
  batchSize: number;
  /** Fallback poll: rows another instance committed, or a crashed instance's lease that ran out. */
  pollMs: number;
  /** How long a claim holds on PostgreSQL before another instance may take the rows. */
  leaseMs: number;
  /**
   * SQLite: how long a round waits before it removes what was published (publishing does not
   * wait), so that one writer transaction removes the rows of several commits. Removing after
   * every commit put a transaction between each two batches of the inbox worker, which shares the
   * one writer: at an evenly paced 500 events/s, its BEGIN waited 1.1–1.8 ms at the median for
   * that removal, against 0.3 ms with 50 ms here (the batch's events took 3–10 ms in all).
   */
  removeAfterMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxDispatcherOptions = { batchSize: 200, pollMs: 1000, leaseMs: 30_000, removeAfterMs: 50 };

/**
 * Drives everything that happens after a commit from the outbox: woken by the committing request
 * (and by a poll), it claims a batch, publishes it to subscribers, and removes it in the
 * transaction that queues its outbound deliveries. A crash before the removal sends the batch
 * again at the next start (at least once; subscribers drop repeats by `sequence`).
 */
export class OutboxDispatcher extends BackgroundLoop {
  private idleWaiters: (() => void)[] = [];
  /**
   * SQLite: rows published and not yet removed (a removal that failed is retried without
   * publishing them again), and those removed by the last round, which a read that began before
   * that removal committed may still return.
   */
  private published = new Set<number>();
  private removed = new Set<number>();
  /** SQLite: the read-and-publish in flight, and at most one more queued behind it. */
  private publishing?: Promise<OutboxChange[]>;
  private publishQueued?: Promise<OutboxChange[]>;
  /** Commits told so far, and how many had been told when the read in flight began. */
  private wakes = 0;
  private publishingSince = -1;
  private readScheduled = false;
  /** The last read or claim returned a whole batch: more rows may be waiting behind it. */
  private lastReadFull = false;

  constructor(
    private readonly store: OutboxStore,
    private readonly consumers: OutboxConsumers,
    logger: Logger,
    private readonly options: OutboxDispatcherOptions = DEFAULT_OUTBOX_OPTIONS,
  ) {
    super(logger, 'outbox dispatcher');
  }

  /** Finishes the batch in hand and stops; what is left goes out at the next start. */
  override async stop(): Promise<void> {
    await super.stop();
    this.onIdle();
  }

  /** Resolves once everything committed so far has been dispatched and the dispatcher waits for work (tests, shutdown). */
  idle(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.wake();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Releases a dead predecessor's claims (SQLite) before the first round. */
  protected override async prepare(): Promise<void> {
    await this.store.init().catch((err: unknown) => this.logger.warn({ err }, 'outbox: could not release the claims of the previous process; they expire with their lease'));
  }

  protected pollMs(): number {
    return this.options.pollMs;
  }

  /**
   * SQLite: a commit is published at once, even while a round waits for the writer connection to
   * remove earlier rows (behind the applier's batch or ingest's commit): publishing reads
   * on a read connection and never waits for the round.
   */
  override wake(): void {
    this.wakes++;
    super.wake();
    if (this.store.kind !== 'sqlite' || this.stopped || this.readScheduled) return;
    // One read for the wakes of one commit (a batch tells each of its changes).
    this.readScheduled = true;
    queueMicrotask(() => {
      this.readScheduled = false;
      this.publishSeen().catch((err: unknown) => this.logger.warn({ err }, 'outbox: could not read what to publish; the next round does'));
    });
  }

  protected async round(): Promise<number> {
    if (this.store.kind === 'sqlite' && this.options.removeAfterMs > 0 && !this.stopped) await delay(this.options.removeAfterMs);
    this.wakeup.clear();
    const changes = await this.claimAndPublish();
    if (changes.length === 0) return 0;
    const { enqueue } = this.consumers;
    await this.store.complete(
      changes.map((c) => c.sequence),
      enqueue && ((db, done) => enqueue(db, changes.filter((c) => done.has(c.sequence)))),
    );
    this.removed = new Set(changes.map((c) => c.sequence));
    for (const c of changes) this.published.delete(c.sequence);
    this.consumers.afterEnqueue?.();
    // Fewer than a batch: the read took every row committed when it began, and a commit since
    // then woke this loop (its sleep ends at once). Reading again anyway cost a read per round.
    return this.lastReadFull ? changes.length : 0;
  }

  /**
   * Publishes as soon as the rows are seen. SQLite reads them beside the writer, so subscribers
   * hear of a commit without waiting for the next writer transaction (the applier's batch) to end;
   * the removal, which is SQLite's claim, follows. A second process on the same file (tests only) may publish a row too: at
   * least once, as after a crash, and subscribers drop repeats by `sequence`. PostgreSQL claims
   * first (one statement, SKIP LOCKED): each instance publishes its own.
   */
  private async claimAndPublish() {
    if (this.store.kind === 'sqlite') return this.publishSeen();
    const claimed = await this.store.claim(this.options.batchSize);
    this.lastReadFull = claimed.length >= this.options.batchSize;
    if (claimed.length > 0) this.consumers.publish(claimed);
    return claimed;
  }

  /**
   * SQLite: reads the claimable rows and publishes those not published yet, in sequence order;
   * returns what it read. One read at a time: a call joins the read in flight when no commit was
   * told since it began, and otherwise shares one more read after it, which sees every commit
   * made before it began.
   */
  private publishSeen(): Promise<OutboxChange[]> {
    if (!this.publishing) {
      this.publishingSince = this.wakes;
      this.publishing = this.readAndPublish().finally(() => (this.publishing = undefined));
      return this.publishing;
    }
    // Begun since the last commit's wake (the round that wake started): it sees that commit.
    if (this.publishingSince === this.wakes) return this.publishing;
    this.publishQueued ??= this.publishing
      .catch(() => undefined)
      .then(() => {
        this.publishQueued = undefined;
        return this.publishSeen();
      });
    return this.publishQueued;
  }

  private async readAndPublish(): Promise<OutboxChange[]> {
    const seen = await this.store.claimable(this.options.batchSize);
    this.lastReadFull = seen.length >= this.options.batchSize;
    const fresh = seen.filter((c) => !this.published.has(c.sequence) && !this.removed.has(c.sequence));
    if (fresh.length > 0) this.consumers.publish(fresh);
    for (const c of fresh) this.published.add(c.sequence);
    return seen.filter((c) => !this.removed.has(c.sequence));
  }

  protected override onIdle(): void {
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
