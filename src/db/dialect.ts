import type { MigrationObject, Options } from '@mikro-orm/core';
import type { AbstractSqlConnection, AbstractSqlDriver } from '@mikro-orm/knex';

/** What differs between the databases we run on; orm.ts stays dialect-neutral. */
export interface Dialect {
  /** Driver and connection options. */
  options: Pick<Options<AbstractSqlDriver>, 'driver' | 'dbName' | 'host' | 'port' | 'user' | 'password' | 'driverOptions' | 'pool'>;
  /** This dialect's committed migrations, in order (each dialect has its own SQL). */
  migrations: MigrationObject[];
  /** Where `migration:create` would write this dialect's migrations. */
  migrationsPath: string;
  /** Runs before connecting (e.g. creating the SQLite file's folder). */
  beforeOpen(): void;
  /** Session settings applied once connected, before migrating. */
  afterOpen(connection: AbstractSqlConnection): Promise<void>;
}
