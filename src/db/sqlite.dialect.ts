import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SqliteDriver } from '@mikro-orm/sqlite';
import type { SqliteDatabaseConfig } from '../config/database.config';
import { MIGRATIONS } from './migrations';
import type { Dialect } from './dialect';
import { attachInboxOnCreate } from './inbox-file';

/**
 * SQLite: one file (its folder created on open) and the webhook inbox's file beside it, WAL, foreign keys on, a busy timeout for concurrent
 * writers. `synchronous = full` fsyncs the WAL at every commit: a webhook is acknowledged only after
 * its row's commit, which must survive power loss, not only a crash of this process.
 */
export function sqliteDialect(config: SqliteDatabaseConfig): Dialect {
  const inMemory = config.path === ':memory:';
  return {
    // Every connection (the writer and the ORM's read replicas) attaches the inbox file (inbox-file.ts).
    options: { driver: SqliteDriver, dbName: config.path, pool: { afterCreate: attachInboxOnCreate(config.path, { writer: true }) } },
    migrations: MIGRATIONS,
    migrationsPath: path.join(__dirname, 'migrations'),
    beforeOpen() {
      if (!inMemory) mkdirSync(path.dirname(config.path), { recursive: true });
    },
    async afterOpen(connection) {
      if (!inMemory) await connection.execute('pragma journal_mode = wal');
      // Every commit reaches the disk before it returns (WAL's fsync per commit): group commit shares that cost, never skips it.
      await connection.execute('pragma synchronous = full');
      await connection.execute('pragma foreign_keys = on');
      await connection.execute('pragma busy_timeout = 5000');
    },
  };
}
