import type { AppConfig } from '../config/config';
import type { EventResult } from '../domain/services/webhook-inbox.rows';
import type { InboxOptions, InboxThreading } from '../domain/services/webhook-inbox.service';
import type { ForwardedRecording } from '../observability/metrics';

/** What the webhook applier's thread is started with (structured-cloned into it). */
export interface ApplierThreadSetup {
  config: AppConfig;
  /** The in-process sandbox's URL, when it plays the providers (late-payment refunds call them). */
  sandboxUrl?: string;
  /** The service's own URL (default return URLs). */
  publicUrl: string;
  inbox: Partial<InboxOptions>;
  appending: InboxThreading;
  /** SQLite: the turns at the file's write connection, shared with the serving thread (writer-turns.ts). */
  writerTurns?: SharedArrayBuffer;
  /** The serving thread's log level: the thread's lines are written to the same destination. */
  logLevel: string;
}

/** From the serving thread to the applier's. */
export type ToApplier =
  | { kind: 'wake' }
  | { kind: 'stop' }
  /** SQLite: the results of `results` (same id) are committed in the inbox file, or why not. */
  | { kind: 'results-written'; id: number; error?: string };

/** From the applier's thread to the serving one. */
export type FromApplier =
  | { kind: 'ready' }
  /** One log line, formatted (and redacted) already. */
  | { kind: 'log'; line: string }
  /** A transaction committed status changes: the serving thread's outbox dispatcher publishes them. */
  | { kind: 'committed' }
  | { kind: 'metric'; recording: ForwardedRecording }
  /** SQLite: committed events' results, for the serving thread to write to the inbox file (its one writer there). */
  | { kind: 'results'; id: number; results: EventResult[] }
  | { kind: 'stopped' };
