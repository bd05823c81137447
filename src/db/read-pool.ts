import { knex, type Knex } from '@mikro-orm/knex';
import type { DatabaseConfig } from '../config/database.config';
import type { Orm } from './orm';
import { attachInboxOnCreate } from './inbox-file';

/** Where plain-SQL reads go, and how to close it. */
export interface ReadPool {
  knex: Knex;
  close(): Promise<void>;
}

/** Read connections beside SQLite's one writer: a WAL file lets them read while it writes. */
const SQLITE_READERS = 2;

/**
 * Connections for the hot reads (orders, tokens, the catalog). SQLite's ORM connection is its only
 * writer, and every query through it waits for whatever transaction holds it; in WAL mode other
 * connections read the last committed state meanwhile, so reads get their own read-only
 * connections and run beside the writer and each other. A read that starts after a commit sees
 * it. PostgreSQL (a pool already) and an in-memory SQLite (visible to one connection only) read
 * through the ORM's connection.
 */
export function openReadPool(config: DatabaseConfig, orm: Orm): ReadPool {
  if (config.kind !== 'sqlite' || config.path === ':memory:') {
    return { knex: orm.em.getConnection().getKnex(), close: async () => {} };
  }
  const readers = knex({
    client: 'sqlite3',
    connection: { filename: config.path },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: SQLITE_READERS,
      afterCreate: attachInboxOnCreate(config.path, { writer: false, settings: 'pragma busy_timeout = 5000; pragma query_only = on;' }),
    },
  });
  return { knex: readers, close: () => readers.destroy() };
}
