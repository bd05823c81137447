import { JsonType, type EntityMetadata, type EntityProperty } from '@mikro-orm/core';
import { fromDbDate, toDbDate, type DbDialect } from './db-dates';
import type { Row } from './sql-executor';

/**
 * Rows ⇄ entities without the unit of work, for set-based hot paths (the webhook applier's
 * batch, src/domain/services/detached-facts*.ts): the ORM's own metadata says which column holds
 * which property and how its value is stored, so nothing here repeats an entity's columns.
 * Entities built here are detached: the ORM neither tracks nor flushes them.
 */
export class EntityRows<T extends object> {
  /** Stored properties: scalars and the owning side of many-to-one references (`order_id`). */
  readonly props: EntityProperty<T>[];
  readonly columns: string[];

  constructor(
    readonly meta: EntityMetadata<T>,
    readonly dialect: DbDialect,
  ) {
    this.props = meta.props.filter((p) => p.kind === 'scalar' || p.kind === 'm:1') as EntityProperty<T>[];
    this.columns = this.props.map((p) => p.fieldNames[0]);
  }

  get table(): string {
    return this.meta.tableName;
  }

  /** A detached entity of this row; reference properties are left for the caller to link (`refOf`). */
  hydrate(row: Row): T {
    const entity = new (this.meta.class as new () => T)();
    for (const prop of this.props) {
      if (prop.kind === 'scalar') (entity as Record<string, unknown>)[prop.name] = fromColumn(prop, row[prop.fieldNames[0]]);
    }
    return entity;
  }

  /** The id a reference column of `row` holds (`order_id` for the `order` property). */
  refOf(row: Row, property: keyof T & string): string {
    const prop = this.props.find((p) => p.name === property)!;
    return String(row[prop.fieldNames[0]]);
  }

  /** Every stored column of `entity` as the database keeps it (references by their id). */
  toRow(entity: T): Row {
    const row: Row = {};
    for (const prop of this.props) row[prop.fieldNames[0]] = this.columnValue(prop, (entity as Record<string, unknown>)[prop.name]);
    return row;
  }

  /** The SQL type of a column, for PostgreSQL's casts of bare parameters. */
  columnType(column: string): string {
    const prop = this.props.find((p) => p.fieldNames[0] === column)!;
    return prop.kind === 'm:1' ? 'text' : prop.columnTypes[0];
  }

  private columnValue(prop: EntityProperty<T>, value: unknown): unknown {
    if (value === undefined || value === null) return null;
    if (prop.kind === 'm:1') return (value as { id: string }).id;
    if (value instanceof Date) return toDbDate(value, this.dialect);
    if (isJson(prop)) return JSON.stringify(value);
    if (typeof value === 'boolean' && this.dialect === 'sqlite') return value ? 1 : 0;
    return value;
  }
}

function isJson(prop: EntityProperty): boolean {
  return prop.customType instanceof JsonType;
}

function fromColumn(prop: EntityProperty, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (prop.runtimeType === 'Date') return fromDbDate(value);
  if (prop.runtimeType === 'number') return Number(value);
  if (prop.runtimeType === 'boolean') return Boolean(value);
  // A JSON column arrives as text (SQLite) or already parsed (PostgreSQL jsonb).
  if (isJson(prop)) return typeof value === 'string' ? JSON.parse(value) : value;
  return value;
}
