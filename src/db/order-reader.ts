import type { Knex } from '@mikro-orm/knex';
import type { DisputeRecord, OrderRecord, OrderWithDisputes } from '../model/order-record';
import type { PricedProduct } from '../model/priced-product';
import { Coalescer, type Settled } from './coalescer';
import { CompiledShapes } from './compiled-shapes';
import { toDbDate, type DbDialect } from './db-dates';
import { driverExecutorFor, type SqlExecutor } from './sql-executor';
import { DISPUTES, DISPUTE_COLUMNS, ORDER_COLUMNS, RELATIONS, Relation, aggregateSql, toDispute, toEvent, toItem, toOrder, toPayment, toRefund, type Row } from './order-rows';


/**
 * Reads orders with their items, payments, refunds and events in one statement per call, however
 * many orders and rows (see `withRelations`). Plain SQL through knex: nothing is hydrated into the
 * ORM's identity map, which cost four times the queries themselves (profiled; README "Performance").
 */
export class OrderReader {
  /**
   * Concurrent requests' reads share queries: ids asked for while a read is in flight are read
   * together next (see Coalescer), so a busy instance runs one statement per group of requests,
   * not per request. A read asked for after a commit still starts after it: it sees the write.
   */
  private readonly orders = new Coalescer<readonly string[], (OrderRecord | null)[]>((lists) => this.grouped(lists, (ids) => this.loadNow(ids, false)));
  private readonly ordersWithDisputes = new Coalescer<readonly string[], (OrderWithDisputes | null)[]>((lists) => this.grouped(lists, (ids) => this.loadNow(ids, true)));
  private readonly catalog = new Coalescer<readonly string[], PricedProduct[]>(async (lists) => {
    const products = await this.productsNow([...new Set(lists.flat())]);
    return lists.map((skus) => ({ ok: true, value: products.filter((p) => skus.includes(p.sku)) }));
  });
  private readonly disputes = new Coalescer<readonly string[], DisputeRecord[][]>(async (lists) => {
    const rows = await this.disputesNow([...new Set(lists.flat())]);
    return lists.map((ids) => ({ ok: true, value: ids.map((id) => rows.filter((r) => r.orderId === id)) }));
  });
  private readonly shapes = new CompiledShapes();

  constructor(
    /** The read connections (SQLite: read-only ones beside the writer); statements are built with it. */
    readonly knex: () => Knex,
    private readonly dialect: DbDialect,
    /** What runs the statements: the driver directly (see sql-executor.ts). */
    private readonly sql: () => SqlExecutor = () => driverExecutorFor(knex(), dialect),
  ) {}

  /** The orders with these ids, in the same order; null where none exists. */
  load(ids: readonly string[]): Promise<(OrderRecord | null)[]> {
    return this.orders.submit(ids);
  }

  /**
   * The same with each order's disputes, in the same one statement: a query that shows them
   * (`order(id) { disputes }`) waits for one round trip instead of two, one after the other.
   */
  loadWithDisputes(ids: readonly string[]): Promise<(OrderWithDisputes | null)[]> {
    return this.ordersWithDisputes.submit(ids);
  }

  private async loadNow(ids: readonly string[], disputes: false): Promise<Map<string, OrderRecord>>;
  private async loadNow(ids: readonly string[], disputes: true): Promise<Map<string, OrderWithDisputes>>;
  private async loadNow(ids: readonly string[], disputes: boolean): Promise<Map<string, OrderRecord>> {
    const distinct = [...new Set(ids)];
    const key = `${disputes ? 'orders+disputes' : 'orders'}:${distinct.length}`;
    const rows = await this.sql().rows(this.shapes.statement(this.knex(), key, distinct, () => this.withRelations(disputes).whereIn('o.id', distinct)));
    return new Map(rows.map((r) => [r.id, disputes ? this.withDisputes(r) : this.toRecord(r)]));
  }

  private async grouped<V>(lists: (readonly string[])[], read: (ids: string[]) => Promise<Map<string, V>>): Promise<Settled<(V | null)[]>[]> {
    const found = await read([...new Set(lists.flat())]);
    return lists.map((ids) => ({ ok: true, value: ids.map((id) => found.get(id) ?? null) }));
  }

  /**
   * One page of orders, newest first (`createdAt`, then `id`, descending), strictly after the
   * cursor when given, optionally of one status; `totalCount` ignores the cursor. Two queries.
   */
  async page(args: { status?: string | null; after?: { createdAt: Date; id: string }; limit: number }): Promise<{ nodes: OrderRecord[]; totalCount: number }> {
    const knex = this.knex();
    const count = knex('orders').count({ n: '*' });
    if (args.status) count.where('status', args.status);
    const [{ n }] = await this.sql().rows<{ n: number | string }>(count);
    const query = this.withRelations().orderBy([{ column: 'o.created_at', order: 'desc' }, { column: 'o.id', order: 'desc' }]).limit(args.limit);
    if (args.status) query.where('o.status', args.status);
    if (args.after) {
      const { createdAt, id } = args.after;
      const at = toDbDate(createdAt, this.dialect);
      query.andWhere((w) => w.where('o.created_at', '<', at).orWhere((x) => x.where('o.created_at', at).andWhere('o.id', '<', id)));
    }
    const rows = await this.sql().rows(query);
    return { nodes: rows.map((r) => this.toRecord(r)), totalCount: Number(n) };
  }

  /**
   * Order rows, each with its items, payments, refunds and events aggregated into one JSON array
   * per relation by correlated subqueries on the indexed `order_id`: one statement and one round
   * trip for any number of orders, rows that grow with the data, never with its cartesian product.
   */
  private withRelations(disputes = false): Knex.QueryBuilder {
    const knex = this.knex();
    const relations = disputes ? [...RELATIONS, DISPUTES] : RELATIONS;
    return knex({ o: 'orders' }).select([...ORDER_COLUMNS.map((c) => `o.${c}`), ...relations.map((r) => knex.raw(aggregateSql(this.dialect, r)))]);
  }

  private toRecord(row: Row): OrderRecord {
    const order = toOrder(row);
    const [items, payments, refunds, events] = RELATIONS;
    order.items = relationRows(row, items).map(toItem);
    order.payments = relationRows(row, payments).map(toPayment);
    order.refunds = relationRows(row, refunds).map((r) => toRefund({ ...r, order_id: order.id }));
    order.events = relationRows(row, events).map(toEvent);
    return order;
  }

  private withDisputes(row: Row): OrderWithDisputes {
    const order = this.toRecord(row) as OrderWithDisputes;
    order.disputes = relationRows(row, DISPUTES).map((d) => toDispute({ ...d, order_id: order.id }));
    return order;
  }

  /** The disputes of these orders, oldest first, grouped by order id (one query, shared with concurrent requests like `load`). */
  disputesOf(orderIds: readonly string[]): Promise<DisputeRecord[][]> {
    return this.disputes.submit(orderIds);
  }

  private async disputesNow(ids: string[]): Promise<DisputeRecord[]> {
    const query = () => this.knex()('disputes').select(['order_id', ...DISPUTE_COLUMNS]).whereIn('order_id', ids).orderBy(['created_at', 'id']);
    return (await this.sql().rows<Row>(this.shapes.statement(this.knex(), `disputes:${ids.length}`, ids, query))).map(toDispute);
  }

  /** Catalog facts for pricing these SKUs (active or not: pricing says which it refuses). */
  products(skus: readonly string[]): Promise<PricedProduct[]> {
    return this.catalog.submit(skus);
  }

  private async productsNow(skus: string[]): Promise<PricedProduct[]> {
    const query = () => this.knex()('products').select('sku', 'name', 'unit_amount', 'currency', 'active').whereIn('sku', skus);
    const rows = await this.sql().rows(this.shapes.statement(this.knex(), `products:${skus.length}`, skus, query));
    return rows.map((r) => ({ sku: r.sku, name: r.name, unitAmount: Number(r.unit_amount), currency: r.currency, active: Boolean(r.active) }));
  }

  /** The id of the order whose access token hashes to `hash`, or undefined (one indexed lookup). */
  async orderIdByTokenHash(hash: string): Promise<string | undefined> {
    const query = () => this.knex()('orders').select('id').where('access_token_hash', hash).limit(1);
    const [row] = await this.sql().rows<{ id: string }>(this.shapes.statement(this.knex(), 'token', [hash, 1], query));
    return row?.id;
  }
}

/** One aggregated relation of an order row: its JSON array of arrays (text on SQLite, parsed by `pg`) as rows keyed by column. */
function relationRows(row: Row, r: Relation): Row[] {
  const value = row[r.name];
  const arrays: unknown[][] = typeof value === 'string' ? JSON.parse(value) : (value ?? []);
  return arrays.map((a) => Object.fromEntries(r.columns.map((c, i) => [c, a[i]])));
}
