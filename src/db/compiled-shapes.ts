import type { Knex } from '@mikro-orm/knex';

/** Shapes kept at most (a shape is a statement and its number of bindings, e.g. the order read for 3 ids). */
const MAX_SHAPES = 256;

/**
 * SQL text per statement shape, built and compiled by knex once. Building and compiling the order
 * read (nine columns and four aggregated relations) took 25 µs of CPU per call, for a text that only
 * changes with the number of ids. A shape is kept only if knex's own bindings for it are exactly
 * the ones the caller passes, in the same order, so a cached text can never be run with values
 * in the wrong places.
 */
export class CompiledShapes {
  private readonly texts = new Map<string, string>();

  /** The statement `build()` makes for these `bindings`, as a raw statement with knex's compiled text. */
  statement(knex: Knex, key: string, bindings: readonly unknown[], build: () => Knex.QueryBuilder): Knex.QueryBuilder | Knex.Raw {
    const text = this.texts.get(key);
    if (text !== undefined) return knex.raw(text, bindings as Knex.RawBinding[]);
    const built = build();
    const compiled = built.toSQL();
    if (this.texts.size < MAX_SHAPES && sameValues(compiled.bindings, bindings)) this.texts.set(key, compiled.sql);
    return built;
  }
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
