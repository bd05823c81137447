import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125170234 } from './Migration20261125170234_initial';

/** Committed migrations in order; registered explicitly so compiled and test runs see the same list. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261125170234_initial', class: Migration20261125170234 },
];
