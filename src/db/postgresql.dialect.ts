import path from 'node:path';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { PostgreSqlDatabaseConfig } from '../config/database.config';
import type { Dialect } from './dialect';
import { POSTGRESQL_MIGRATIONS } from './migrations/postgresql';

/** PostgreSQL: connection settings from DATABASE_URL, its own migration set; the database must already exist. */
export function postgresqlDialect(config: PostgreSqlDatabaseConfig): Dialect {
  return {
    options: {
      driver: PostgreSqlDriver,
      host: config.host,
      port: config.port,
      user: config.user,
      password: config.password,
      dbName: config.dbName,
      ...(config.ssl ? { driverOptions: { connection: { ssl: { rejectUnauthorized: config.ssl === 'verify-full' } } } } : {}),
    },
    migrations: POSTGRESQL_MIGRATIONS,
    migrationsPath: path.join(__dirname, 'migrations', 'postgresql'),
    beforeOpen() {},
    async afterOpen() {},
  };
}
