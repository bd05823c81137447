import path from 'node:path';
import { knex, type Knex } from '@mikro-orm/knex';
import type { SqliteDatabaseConfig } from '../config/database.config';

/**
 * SQLite keeps the webhook inbox (`webhook_events`) in a file of its own beside the payments file:
 * SQLite has one write lock per file, and with one file every ingest commit queued behind the
 * applier's transactions (and the API's). Each file has its own lock, so appending never waits for
 * applying. Every connection to the payments file attaches the inbox file as schema `inbox`;
 * unqualified `webhook_events` resolves there, so queries need not know which file holds it.
 *
 * What that costs: a transaction spanning both files is atomic per file only (WAL), so the applier
 * commits an event's effects with a row in `webhook_applications` (payments file), and only then
 * writes the event's status in the inbox. A crash in between leaves the event RECEIVED, and the
 * applier finds its application instead of applying it again (WebhookInboxStore).
 */
export const INBOX_SCHEMA = 'inbox';

/** `data/payments.sqlite` → `data/payments.inbox.sqlite`; in memory, another in-memory database. */
export function inboxPathFor(databasePath: string): string {
  if (databasePath === ':memory:') return ':memory:';
  const ext = path.extname(databasePath);
  return path.join(path.dirname(databasePath), `${path.basename(databasePath, ext)}.inbox${ext}`);
}

/** The part of `sqlite3`'s connection used here. */
export interface Sqlite3Handle {
  run(sql: string, params: unknown[], done: (error: Error | null) => void): void;
  exec(sql: string, done: (error: Error | null) => void): void;
}

type Done = (error: Error | null, connection: unknown) => void;

/**
 * A pool `afterCreate` for connections to the payments file: attaches the inbox file, then runs
 * `settings` (semicolon-separated pragmas, may be empty). A writer also puts the inbox in WAL with
 * full sync (an attached file has its own journal and sync settings).
 */
export function attachInboxOnCreate(databasePath: string, { writer, settings = '' }: { writer: boolean; settings?: string }) {
  const inboxSettings = writer ? `pragma ${INBOX_SCHEMA}.journal_mode = wal; pragma ${INBOX_SCHEMA}.synchronous = full;` : '';
  const inMemory = databasePath === ':memory:';
  return (connection: Sqlite3Handle, done: Done): void => {
    connection.run(`attach database ? as ${INBOX_SCHEMA}`, [inboxPathFor(databasePath)], (error) => {
      if (error) return done(error, connection);
      const sql = `${inMemory ? '' : inboxSettings} ${settings}`.trim();
      if (!sql) return done(null, connection);
      connection.exec(sql, (failed) => done(failed, connection));
    });
  };
}

/** Ingest's own connection to the inbox file (its main database), and how to close it. */
export interface InboxWriter {
  knex: Knex;
  close(): Promise<void>;
}

/**
 * The connection ingest appends on: the inbox file opened as its main database, WAL, every commit
 * synced (a webhook is answered only once its row is durable). In memory there is one connection
 * only, and ingest appends through it (`writerKnex`).
 */
export function openInboxWriter(config: SqliteDatabaseConfig, writerKnex: Knex): InboxWriter {
  if (config.path === ':memory:') return { knex: writerKnex, close: async () => {} };
  const writer = knex({
    client: 'sqlite3',
    connection: { filename: inboxPathFor(config.path) },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (connection: Sqlite3Handle, done: Done) =>
        connection.exec('pragma journal_mode = wal; pragma synchronous = full; pragma busy_timeout = 5000;', (error) => done(error, connection)),
    },
  });
  return { knex: writer, close: () => writer.destroy() };
}
