import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import type { Knex } from '@mikro-orm/knex';
import type { AppConfig } from '../config/config';
import { takeTurnsOnWriter, WriterTurns } from '../db/writer-turns';
import type { EventResult } from '../domain/services/webhook-inbox.rows';
import type { ApplierRunner, InboxThreading } from '../domain/services/webhook-inbox.service';
import type { Logger } from '../logging/logger';
import { recordApplierThreadRestart, recordForwarded } from '../observability/metrics';
import type { ApplierThreadSetup, FromApplier, ToApplier } from './applier-thread.messages';

/** How long `stop()` waits for the thread's round in hand and its connections to close. */
const STOP_WAIT_MS = 10_000;
/**
 * The thread's heap: a batch holds at most 200 payloads (MAX_BODY_BYTES each) and their orders,
 * and a bound keeps the process's memory bounded under a flood (the serving thread has its own).
 */
const THREAD_HEAP_MB = 128;
/** Its young generation, smaller than V8's default: about 15 MB less RSS under a flood, measured (4 MB saved 10 MB more but slowed applying). */
const THREAD_YOUNG_MB = 8;
/** Pause before starting a thread that died again. */
const RESTART_DELAY_MS = 1_000;

/**
 * The webhook inbox worker on its own thread: applying (deciding each event, building the set-based
 * writes, the database driver's work) then costs the serving thread nothing, so webhooks are
 * acknowledged and GraphQL answered at the speed of that thread alone, while the events are applied
 * on the machine's second core. The thread has its own connections; on SQLite the two write
 * connections take turns (writer-turns.ts). A thread that dies is started again: the events it had
 * not committed are still due, and applied then.
 */
export class ApplierThread implements ApplierRunner {
  private worker?: Worker;
  private stopping = false;
  private restartTimer?: NodeJS.Timeout;
  private restarting = false;
  private readonly logStream: { write(line: string): void };

  constructor(
    private readonly setup: ApplierThreadSetup,
    private readonly logger: Logger,
    /** Told of every commit of the thread (the outbox dispatcher publishes it). */
    private readonly committed: () => void,
    /** SQLite: the serving thread's side of the write turns. */
    private readonly turns?: WriterTurns,
    /** SQLite: writes the thread's committed results to the inbox file (the serving thread's group commit). */
    private readonly writeResults: (results: EventResult[]) => Promise<void> = async () => {},
  ) {
    this.logStream = (logger as unknown as Record<symbol, { write(line: string): void }>)[pino.symbols.streamSym];
  }

  /** Resolves once the thread is applying; rejects when it could not start. */
  async start(): Promise<void> {
    this.stopping = false;
    await this.spawn();
  }

  wake(): void {
    this.post({ kind: 'wake' });
  }

  /** Lets the thread finish its round and close its connections; events it had not applied stay due. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    this.post({ kind: 'stop' });
    const timer = setTimeout(() => void worker.terminate(), STOP_WAIT_MS);
    await exited;
    clearTimeout(timer);
  }

  private post(message: ToApplier): void {
    this.worker?.postMessage(message);
  }

  private spawn(): Promise<void> {
    const worker = new Worker(workerScript(), { workerData: this.setup, resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB, maxYoungGenerationSizeMb: THREAD_YOUNG_MB } });
    this.worker = worker;
    let ready = false;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromApplier) => {
        if (message.kind === 'log') this.logStream.write(message.line);
        else if (message.kind === 'committed') this.committed();
        else if (message.kind === 'metric') recordForwarded(message.recording);
        else if (message.kind === 'results') {
          const reply = (error?: unknown) => worker.postMessage({ kind: 'results-written', id: message.id, ...(error ? { error: error instanceof Error ? error.message : String(error) } : {}) } satisfies ToApplier);
          this.writeResults(message.results).then(() => reply(), reply);
        }
        else if (message.kind === 'ready') {
          this.logger.info({ threadId: worker.threadId }, 'webhook inbox worker applying on its own thread');
          ready = true;
          resolve();
        }
      });
      worker.on('error', (err) => this.logger.error({ err }, 'webhook applier thread failed'));
      worker.once('exit', (code) => {
        // It can no longer give back SQLite's write turn: free it for the serving thread.
        this.turns?.releaseAbandonedBy('applier');
        if (this.worker === worker) this.worker = undefined;
        reject(new Error(`the webhook applier thread exited (code ${code}) before it was ready`));
        // One that never got ready fails the start (or the restart, which is tried again).
        if (this.stopping || (!ready && !this.restarting)) return;
        this.logger.error({ code }, 'webhook applier thread exited; starting it again');
        recordApplierThreadRestart();
        this.restarting = true;
        this.restartTimer = setTimeout(() => void this.spawn().then(() => (this.restarting = false), () => undefined), RESTART_DELAY_MS);
      });
    });
  }
}

/** The compiled thread script beside this module; under ts-jest (running src/), the build's copy (`npm test` builds first). */
function workerScript(): string {
  const compiled = path.join(__dirname, 'applier-thread.worker.js');
  return existsSync(compiled) ? compiled : path.resolve(__dirname, '../../dist/app/applier-thread.worker.js');
}

/**
 * The applier's thread for this service: with WEBHOOK_APPLIER `thread`, or `auto` (the default) on
 * PostgreSQL, and a database that can be opened twice (not an in-memory SQLite). On SQLite the
 * serving thread's writer then takes turns too. `auto` keeps SQLite inline: measured on 2 cores
 * shared with the load (the inbox in its own file), inline ingest was 0.39x the bare server against
 * 0.27x, apply lag p50 312 against 570 ms, and the second heap took the flood's RSS from 241 to
 * 310 MB; on PostgreSQL ingest went from 0.91x to 1.09x Stripe's sample handler with the thread.
 */
export function applierThreadFor(
  config: AppConfig,
  serving: { knex: Knex; logger: Logger; committed: () => void; appending: InboxThreading; writeResults: (results: EventResult[]) => Promise<void> },
  more: Pick<ApplierThreadSetup, 'sandboxUrl' | 'inbox'>,
): ApplierThread | undefined {
  const wanted = config.webhooks.applier === 'thread' || (config.webhooks.applier === 'auto' && config.database.kind === 'postgresql');
  if (!wanted || (config.database.kind === 'sqlite' && config.database.path === ':memory:')) return undefined;
  let turns: WriterTurns | undefined;
  if (config.database.kind === 'sqlite') {
    turns = new WriterTurns(WriterTurns.allocate(), 'main');
    takeTurnsOnWriter(serving.knex, turns);
  }
  const setup: ApplierThreadSetup = {
    config,
    ...more,
    // Deciding before taking SQLite's write turn keeps the turn short (see ApplierOptions).
    inbox: { decideBeforeWriting: true, ...more.inbox },
    publicUrl: config.publicUrl ?? '',
    appending: serving.appending,
    writerTurns: turns?.buffer,
    logLevel: serving.logger.level,
  };
  return new ApplierThread(setup, serving.logger, serving.committed, turns, serving.writeResults);
}
