import { MikroORM, type Options } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { Migrator } from '@mikro-orm/migrations';
import type { DatabaseConfig } from '../config/database.config';
import type { Dialect } from './dialect';
import { ALL_ENTITIES } from './entities';
import { postgresqlDialect } from './postgresql.dialect';
import { sqliteDialect } from './sqlite.dialect';

export type Orm = MikroORM<AbstractSqlDriver>;

const SQLITE_READ_REPLICAS = ['read-1', 'read-2'];

/** The dialect DATABASE_URL selected: SQLite by default, PostgreSQL for a `postgres://` URL. */
export function dialectFor(config: DatabaseConfig): Dialect {
  return config.kind === 'postgresql' ? postgresqlDialect(config) : sqliteDialect(config);
}

/** Connection settings beside DATABASE_URL. */
export interface PoolOptions {
  /** PostgreSQL connections (DATABASE_POOL_SIZE). SQLite keeps its single connection. */
  poolSize?: number;
}

/** ORM options shared by the service and the migration tooling. */
export function ormOptions(config: DatabaseConfig, pool: PoolOptions = {}): Options<AbstractSqlDriver> {
  const dialect = dialectFor(config);
  return {
    ...dialect.options,
    ...(config.kind === 'postgresql' && pool.poolSize ? { pool: { min: Math.min(2, pool.poolSize), max: pool.poolSize } } : {}),
    // SQLite's one connection is its only writer and every query through it waits for whatever
    // transaction holds it. The ORM sends reads outside a transaction to replicas: here, more
    // connections to the same WAL file, which read the last committed state beside the writer.
    ...(config.kind === 'sqlite' && config.path !== ':memory:' ? { replicas: SQLITE_READ_REPLICAS.map((name) => ({ name })), preferReadReplicas: true } : {}),
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: dialect.migrations, silent: true, transactional: true, allOrNothing: true, snapshot: false, path: dialect.migrationsPath },
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
 * Opens the database with the dialect's session settings and applies pending migrations (unless
 * `migrate` is false: a second thread of a service that has migrated it already).
 */
export async function openDatabase(config: DatabaseConfig, pool: PoolOptions = {}, { migrate = true } = {}): Promise<Orm> {
  const dialect = dialectFor(config);
  dialect.beforeOpen();
  const orm = await MikroORM.init<AbstractSqlDriver>(ormOptions(config, pool));
  try {
    await dialect.afterOpen(orm.em.getConnection());
    if (migrate) await orm.getMigrator().up();
  } catch (error) {
    await orm.close(true);
    throw error;
  }
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
