/** Which SQL database a connection speaks. */
export type DbDialect = 'sqlite' | 'postgresql';

/**
 * Dates as the ORM stores them, for the code that reads and writes rows with plain SQL: SQLite keeps
 * milliseconds since the epoch (a number), PostgreSQL a timestamptz (pg hands back a Date).
 */
export function fromDbDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return new Date(Number(value));
  return new Date(value as string);
}

/** The column value for `date` in this dialect (see {@link fromDbDate}). */
export function toDbDate(date: Date, dialect: DbDialect): Date | number {
  return dialect === 'sqlite' ? date.getTime() : date;
}
