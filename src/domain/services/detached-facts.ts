import type { MetadataStorage } from '@mikro-orm/core';
import type { Knex } from '@mikro-orm/knex';
import { DisputeEntity, OrderEntity, PaymentEntity, RefundEntity } from '../../db/entities';
import type { DbDialect } from '../../db/db-dates';
import { EntityRows } from '../../db/entity-rows';
import type { Row, SqlExecutor } from '../../db/sql-executor';
import type { PaymentRef } from '../providers/provider-events';
import type { OrderStatus } from '../../model/order-status';
import type { PaymentProvider } from '../../model/payment-types';
import { KnownPayments, type PaymentLookup } from './known-payments';
import { OrderWork, type NewDispute, type NewRefund } from './order-work';

/** How each table of an order's facts maps to its entity (from the ORM's metadata, once). */
export interface FactTables {
  knex: Knex;
  orders: EntityRows<OrderEntity>;
  payments: EntityRows<PaymentEntity>;
  refunds: EntityRows<RefundEntity>;
  disputes: EntityRows<DisputeEntity>;
}

export function factTables(knex: Knex, metadata: MetadataStorage, dialect: DbDialect): FactTables {
  return {
    knex,
    orders: new EntityRows(metadata.get(OrderEntity.name), dialect),
    payments: new EntityRows(metadata.get(PaymentEntity.name), dialect),
    refunds: new EntityRows(metadata.get(RefundEntity.name), dialect),
    disputes: new EntityRows(metadata.get(DisputeEntity.name), dialect),
  };
}

/** A loaded entity and its columns as read, to tell what the domain changed. */
export interface Loaded<T> {
  entity: T;
  read: Row;
}

/** The orders a batch of events is about, with every payment, refund and dispute, detached from the ORM. */
export interface DetachedFacts {
  orders: Loaded<OrderEntity>[];
  payments: Loaded<PaymentEntity>[];
  refunds: Loaded<RefundEntity>[];
  disputes: Loaded<DisputeEntity>[];
}

/**
 * Reads, in four statements whatever the batch's size (five with the lock), the orders of the
 * attempts `lookups` name, with their payments, refunds and disputes, as detached entities the
 * reconciler decides on in memory (the ORM's hydration and change sets cost more than the
 * decisions: README "Where the time went"). `lockOrders` (PostgreSQL, where other transactions
 * write the same orders): the orders are locked FOR UPDATE before anything about them is read.
 */
export async function loadDetachedFacts(db: SqlExecutor, t: FactTables, lookups: PaymentLookup[], { lockOrders = false } = {}): Promise<DetachedFacts> {
  // The orders the lookups name, as a subquery of each read (no statement of its own); PostgreSQL
  // locks them first, and the reads then take the ids the lock answered.
  const named = () => matching(t, lookups).select('order_id');
  let orderIds: string[] | undefined;
  if (lockOrders) {
    orderIds = (await db.rows(t.knex(t.orders.table).select('id').whereIn('id', named()).orderBy('id').forUpdate())).map((r) => String(r.id));
    if (orderIds.length === 0) return { orders: [], payments: [], refunds: [], disputes: [] };
  }
  const read = (rows: { table: string; columns: string[] }) => db.rows(t.knex(rows.table).select(rows.columns).whereIn(rows.table === 'orders' ? 'id' : 'order_id', orderIds ?? named()).orderBy(rows.table === 'orders' ? ['id'] : ['created_at', 'id']));
  const [orderRows, paymentRows, refundRows, disputeRows] = await Promise.all([read(t.orders), read(t.payments), read(t.refunds), read(t.disputes)]);
  const orders = new Map<string, Loaded<OrderEntity>>();
  for (const row of orderRows) {
    const entity = t.orders.hydrate(row);
    orders.set(entity.id, { entity, read: t.orders.toRow(entity) });
  }
  const payments = new Map<string, PaymentEntity>();
  const link = <T extends { order: OrderEntity }>(rows: EntityRows<T>, row: Row, relation: 'payments' | 'refunds' | 'disputes'): Loaded<T> => {
    const entity = rows.hydrate(row);
    entity.order = orders.get(rows.refOf(row, 'order'))!.entity;
    if ('payment' in entity) (entity as { payment: PaymentEntity }).payment = payments.get(rows.refOf(row, 'payment' as keyof T & string))!;
    (entity.order[relation] as unknown as { add(item: T): void }).add(entity);
    return { entity, read: rows.toRow(entity) };
  };
  const loadedPayments = paymentRows.map((row) => link(t.payments, row, 'payments'));
  for (const p of loadedPayments) payments.set(p.entity.id, p.entity);
  return {
    orders: [...orders.values()],
    payments: loadedPayments,
    refunds: refundRows.map((row) => link(t.refunds, row, 'refunds')),
    disputes: disputeRows.map((row) => link(t.disputes, row, 'disputes')),
  };
}

/** Payments any lookup names: per provider, our id or one of the provider's ids. */
function matching(t: FactTables, lookups: PaymentLookup[]): Knex.QueryBuilder {
  const byProvider = new Map<PaymentProvider, Map<string, Set<string>>>();
  for (const { provider, ref } of lookups) {
    const columns = byProvider.get(provider) ?? new Map<string, Set<string>>();
    const add = (column: string, value?: string) => value && columns.set(column, (columns.get(column) ?? new Set()).add(value));
    add('id', ref.paymentId);
    add('provider_session_id', ref.sessionId);
    add('provider_payment_id', ref.providerPaymentId);
    add('provider_charge_id', ref.chargeId);
    byProvider.set(provider, columns);
  }
  const groups = [...byProvider].filter(([, columns]) => columns.size > 0);
  const query = t.knex(t.payments.table);
  if (groups.length === 0) return query.whereRaw('1 = 0');
  // Only OR'ed terms, each with an indexed column, so that SQLite searches each index: a constant
  // term in front (`1 = 0 OR …`) makes it scan the whole payments table, in each of the four reads
  // of every batch.
  for (const [provider, columns] of groups) {
    query.orWhere((q) => {
      q.where('provider', provider).andWhere((any) => {
        for (const [column, values] of columns) any.orWhereIn(column, [...values]);
      });
    });
  }
  return query;
}

/**
 * The reconciler's unit of work over detached facts: new refunds, disputes and log entries are
 * collected here and written, with what changed, by `writeDetachedFacts` in the same transaction.
 */
export class DetachedOrderWork extends OrderWork {
  readonly newRefunds: RefundEntity[] = [];
  readonly newDisputes: DisputeEntity[] = [];
  readonly newEvents: { order: OrderEntity; type: string; source: string; message: string | null; fromStatus: OrderStatus | null; toStatus: OrderStatus | null; at: Date }[] = [];
  private known: KnownPayments;

  constructor(readonly facts: DetachedFacts) {
    super();
    this.known = new KnownPayments(facts.payments.map((p) => p.entity));
  }

  record(order: OrderEntity, type: string, source: string, message?: string, from?: OrderStatus, to?: OrderStatus): void {
    this.newEvents.push({ order, type, source, message: message ?? null, fromStatus: from ?? null, toStatus: to ?? null, at: new Date() });
  }

  addRefund(refund: NewRefund): RefundEntity {
    const created = Object.assign(new RefundEntity(), refund);
    refund.order.refunds.add(created);
    this.newRefunds.push(created);
    return created;
  }

  addDispute(dispute: NewDispute): DisputeEntity {
    const created = Object.assign(new DisputeEntity(), dispute);
    dispute.order.disputes.add(created);
    this.newDisputes.push(created);
    return created;
  }

  /**
   * Every attempt a lookup of the batch named was loaded, so a miss is an answer, except for an id
   * an earlier event of the batch just taught us (a Checkout Session's PaymentIntent): look again.
   */
  async findPayment(provider: PaymentProvider, ref: PaymentRef): Promise<PaymentEntity | null> {
    const found = this.known.find(provider, ref);
    if (found) return found;
    this.known = new KnownPayments(this.facts.payments.map((p) => p.entity));
    return this.known.find(provider, ref) ?? null;
  }
}
