import 'reflect-metadata';
import path from 'node:path';
import { ConfigError } from '../config/config.error';
import { databaseConfig } from '../config/database.config';
import { dialectFor, openDatabase } from './orm';

/**
 * Writes the next migration for the dialect DATABASE_URL selects: migrates that (scratch)
 * database to the committed state, then diffs it against the entities.
 *   npm run build && DATABASE_URL=postgres://…/scratch node dist/db/create-migration.js add_disputes
 * Register the new file in the dialect's migrations index (the list is explicit).
 */
async function main(): Promise<void> {
  const [name] = process.argv.slice(2);
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: create-migration <snake_case_name>');
  const problems: string[] = [];
  const config = databaseConfig(process.env.DATABASE_URL, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const orm = await openDatabase(config);
  try {
    const dialect = dialectFor(config);
    // Compiled, this file runs from dist/db: write next to the TypeScript sources, not into dist.
    const compiledRoot = path.resolve(__dirname, '..');
    const sourcePath = path.resolve(compiledRoot, '..', 'src', path.relative(compiledRoot, dialect.migrationsPath));
    const result = await orm.getMigrator().createMigration(sourcePath, false, false, name);
    console.log(result.fileName ? `wrote ${sourcePath}/${result.fileName}` : 'no schema changes');
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
