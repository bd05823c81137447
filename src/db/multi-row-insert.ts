import type { Knex } from '@mikro-orm/knex';
import type { DbDialect } from './db-dates';
import type { Row } from './sql-executor';

/**
 * `insert into t (a, b) values (?, ?), (?, ?) [on conflict (…) do nothing | do update set …] [returning …]` for rows
 * of one shape, written directly: the same SQL on SQLite and PostgreSQL. knex's own multi-row insert
 * compiles SQLite's as `select … union all select …`, quoting every column of every row, which took
 * about 4% of the main thread in a profile of webhook ingest. Identifiers are our own constants.
 */
export function multiRowInsert(
  knex: Knex,
  table: string,
  rows: Row[],
  options: { ignoreConflictOn?: string[]; replaceOnConflict?: string[]; returning?: string[] } = {},
): Knex.Raw {
  const columns = Object.keys(rows[0]);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const bindings: unknown[] = [];
  for (const row of rows) for (const column of columns) bindings.push(row[column] ?? null);
  const replaced = options.replaceOnConflict ? columns.filter((c) => !options.replaceOnConflict!.includes(c)) : [];
  const target = options.ignoreConflictOn ?? options.replaceOnConflict;
  const action = !options.ignoreConflictOn && replaced.length > 0 ? `do update set ${replaced.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}` : 'do nothing';
  const conflict = target ? ` on conflict (${target.map(quote).join(', ')}) ${action}` : '';
  const returning = options.returning ? ` returning ${options.returning.map(quote).join(', ')}` : '';
  return knex.raw(`insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${rows.map(() => tuple).join(', ')}${conflict}${returning}`, bindings as Knex.RawBinding[]);
}

function quote(identifier: string): string {
  return `"${identifier}"`;
}

/** An insert of many rows of one shape, in the driver's own SQL (see NativeInsert). */
export interface InsertShape {
  table: string;
  /** Columns with one value for the whole statement, bound once (`?1` / `$1` …, repeated in every row). */
  shared: readonly string[];
  /** Columns bound per row, in this order. */
  columns: readonly string[];
  ignoreConflictOn?: readonly string[];
  returning?: readonly string[];
}

/** SQL texts kept per row count: a group commit's size varies with the load, and the texts are small. */
const MAX_KEPT_TEXTS = 64;

/**
 * The hottest multi-row insert (webhook ingest) without knex: knex.raw's `toSQL` re-scans the whole
 * text and every binding on each call. The text for a number of rows is written once, with numbered
 * placeholders (`?N` on SQLite, `$N` on PostgreSQL), so a value common to every row is bound once.
 * Bindings: the shared values in `shared` order, then each row's values in `columns` order.
 */
export class NativeInsert {
  private readonly texts = new Map<number, string>();

  constructor(
    private readonly dialect: DbDialect,
    private readonly shape: InsertShape,
  ) {}

  sql(rows: number): string {
    let text = this.texts.get(rows);
    if (text === undefined) {
      text = this.write(rows);
      if (this.texts.size >= MAX_KEPT_TEXTS) this.texts.delete(this.texts.keys().next().value as number);
      this.texts.set(rows, text);
    }
    return text;
  }

  private write(rows: number): string {
    const { table, shared, columns, ignoreConflictOn, returning } = this.shape;
    const mark = this.dialect === 'sqlite' ? '?' : '$';
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) {
      const values = shared.map((_, i) => `${mark}${i + 1}`);
      for (let c = 0; c < columns.length; c++) values.push(`${mark}${shared.length + r * columns.length + c + 1}`);
      tuples.push(`(${values.join(', ')})`);
    }
    const conflict = ignoreConflictOn ? ` on conflict (${ignoreConflictOn.map(quote).join(', ')}) do nothing` : '';
    const answer = returning ? ` returning ${returning.map(quote).join(', ')}` : '';
    return `insert into ${quote(table)} (${[...shared, ...columns].map(quote).join(', ')}) values ${tuples.join(', ')}${conflict}${answer}`;
  }
}
