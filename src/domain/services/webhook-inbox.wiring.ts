import type { Knex } from '@mikro-orm/knex';
import type { EventResult } from './webhook-inbox.rows';

/** What a worker thread needs to apply this inbox's events beside the thread that appends them. */
export interface InboxThreading {
  /** The instance's name in `claimed_by`: SQLite rows are claimed for it when appended. */
  owner: string;
}

/** The connections and threads the inbox is wired to (all optional). */
export interface InboxWiring {
  /** SQLite: the read pool (see WebhookInboxStore). */
  readKnex?: Knex;
  /** SQLite: ingest's own connection to the inbox file (src/db/inbox-file.ts). */
  appendKnex?: Knex;
  /** In the worker's own thread: the appending thread's inbox (see `threading`). */
  appending?: InboxThreading;
  /** In the worker's own thread on SQLite: sends committed results to the appending thread (`writeResultsToInbox` there). */
  resultsToInbox?: (results: EventResult[]) => Promise<void>;
}

/** The worker's loop, run here (WebhookApplier) or on another thread (app/applier-thread.ts). */
export interface ApplierRunner {
  start(): void | Promise<void>;
  stop(): Promise<void>;
  wake(): void;
}
