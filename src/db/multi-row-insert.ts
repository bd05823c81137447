import type { Knex } from '@mikro-orm/knex';
import type { Row } from './sql-executor';

/**
 * `insert into t (a, b) values (?, ?), (?, ?) [on conflict (…) do nothing] [returning …]` for rows
 * of one shape, written directly: the same SQL on SQLite and PostgreSQL. knex's own multi-row insert
 * compiles SQLite's as `select … union all select …`, quoting every column of every row, which took
 * about 4% of the main thread in a profile of webhook ingest. Identifiers are our own constants.
 */
export function multiRowInsert(knex: Knex, table: string, rows: Row[], options: { ignoreConflictOn?: string[]; returning?: string[] } = {}): Knex.Raw {
  const columns = Object.keys(rows[0]);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const bindings: unknown[] = [];
  for (const row of rows) for (const column of columns) bindings.push(row[column] ?? null);
  const conflict = options.ignoreConflictOn ? ` on conflict (${options.ignoreConflictOn.map(quote).join(', ')}) do nothing` : '';
  const returning = options.returning ? ` returning ${options.returning.map(quote).join(', ')}` : '';
  return knex.raw(`insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${rows.map(() => tuple).join(', ')}${conflict}${returning}`, bindings as Knex.RawBinding[]);
}

function quote(identifier: string): string {
  return `"${identifier}"`;
}
