import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/sqlite';
import { Migrator } from '@mikro-orm/migrations';
import { ALL_ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type Orm = MikroORM;

/** ORM options shared by the service and the migration tooling. */
export function ormOptions(databasePath: string): Options {
  return {
    dbName: databasePath,
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS, silent: true, transactional: true, allOrNothing: true, snapshot: false, path: path.join(__dirname, 'migrations') },
    // Schema changes go through committed migrations only; never let the ORM guess.
    ensureDatabase: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    // One query per populated relation. The 'joined' default LEFT JOINs every to-many relation at
    // once, so an order's items × payments × refunds × events come back as their cartesian product.
    loadStrategy: 'select-in',
    debug: false,
  };
}

/**
 * Opens the database (creating the file's folder), switches SQLite to WAL with foreign keys on,
 * and applies pending migrations. Everything SQLite-specific is here.
 */
export async function openDatabase(databasePath: string): Promise<Orm> {
  if (databasePath !== ':memory:') mkdirSync(path.dirname(databasePath), { recursive: true });
  const orm = await MikroORM.init(ormOptions(databasePath));
  const connection = orm.em.getConnection();
  if (databasePath !== ':memory:') await connection.execute('pragma journal_mode = wal');
  await connection.execute('pragma foreign_keys = on');
  await connection.execute('pragma busy_timeout = 5000');
  await orm.getMigrator().up();
  return orm;
}

/** True when the database answers and no migration is pending (GET /readyz). */
export async function isDatabaseReady(orm: Orm): Promise<boolean> {
  try {
    await orm.em.getConnection().execute('select 1');
    return (await orm.getMigrator().getPendingMigrations()).length === 0;
  } catch {
    return false;
  }
}
