/** Rows of the order read (order-reader.ts) → domain records: the columns read, and how each row maps. */
import type {
  DisputeRecord, OrderEventRecord, OrderItemRecord, OrderRecord, PaymentRecord, RefundRecord,
} from '../model/order-record';
import { fromDbDate, type DbDialect } from './db-dates';

export type Row = Record<string, any>;

export const ORDER_COLUMNS = ['id', 'status', 'currency', 'amount', 'amount_refunded', 'amount_captured', 'customer_email', 'created_at', 'updated_at'];
export const PAYMENT_COLUMNS = [
  'id', 'provider', 'method', 'status', 'amount', 'currency', 'provider_session_id', 'provider_payment_id', 'provider_charge_id',
  'failure_code', 'failure_message', 'auto_refund_reason', 'capture_method', 'captures', 'authorization_released', 'created_at', 'updated_at',
];
export const REFUND_COLUMNS = ['id', 'payment_id', 'amount', 'currency', 'status', 'provider_refund_id', 'reason', 'failure_message', 'created_at', 'updated_at'];
export const DISPUTE_COLUMNS = ['id', 'payment_id', 'provider', 'provider_dispute_id', 'status', 'reason', 'amount', 'currency', 'created_at', 'updated_at'];

export interface Relation {
  name: string;
  table: string;
  columns: string[];
  orderBy: string[];
}

export const RELATIONS: Relation[] = [
  { name: 'items', table: 'order_items', columns: ['sku', 'name', 'unit_amount', 'quantity', 'line_amount'], orderBy: ['position'] },
  { name: 'payments', table: 'payments', columns: PAYMENT_COLUMNS, orderBy: ['created_at', 'id'] },
  { name: 'refunds', table: 'refunds', columns: REFUND_COLUMNS, orderBy: ['created_at', 'id'] },
  { name: 'events', table: 'order_events', columns: ['sequence', 'type', 'from_status', 'to_status', 'source', 'message', 'at'], orderBy: ['sequence'] },
];

/** An order's disputes, aggregated like the relations above when a read asks for them (`OrderReader.loadWithDisputes`). */
export const DISPUTES: Relation = { name: 'disputes', table: 'disputes', columns: DISPUTE_COLUMNS, orderBy: ['created_at', 'id'] };

/**
 * One relation of the order `o` as a JSON array of arrays (columns in `columns` order), empty when
 * it has no rows. Identifiers are our own constants, never input.
 */
export function aggregateSql(dialect: DbDialect, r: Relation): string {
  const columns = r.columns.map((c) => `x."${c}"`).join(', ');
  const orderBy = r.orderBy.map((c) => `x."${c}"`).join(', ');
  if (dialect === 'postgresql') {
    return `(select coalesce(json_agg(json_build_array(${columns}) order by ${orderBy}), '[]'::json) from "${r.table}" x where x."order_id" = o."id") as "${r.name}"`;
  }
  // SQLite aggregates in the order its subquery yields the rows.
  return `(select json_group_array(json_array(${columns})) from (select * from "${r.table}" y where y."order_id" = o."id" order by ${r.orderBy.map((c) => `y."${c}"`).join(', ')}) x) as "${r.name}"`;
}

export function toOrder(r: Row): OrderRecord {
  return {
    id: r.id,
    status: r.status,
    currency: r.currency,
    amount: Number(r.amount),
    amountRefunded: Number(r.amount_refunded),
    amountCaptured: Number(r.amount_captured),
    customerEmail: r.customer_email ?? null,
    createdAt: fromDbDate(r.created_at),
    updatedAt: fromDbDate(r.updated_at),
    items: [],
    payments: [],
    refunds: [],
    events: [],
  };
}

export function toItem(r: Row): OrderItemRecord {
  return { sku: r.sku, name: r.name, unitAmount: Number(r.unit_amount), quantity: Number(r.quantity), lineAmount: Number(r.line_amount) };
}

export function toPayment(r: Row): PaymentRecord {
  return {
    id: r.id,
    provider: r.provider,
    method: r.method,
    status: r.status,
    amount: Number(r.amount),
    currency: r.currency,
    providerSessionId: r.provider_session_id ?? null,
    providerPaymentId: r.provider_payment_id ?? null,
    providerChargeId: r.provider_charge_id ?? null,
    failureCode: r.failure_code ?? null,
    failureMessage: r.failure_message ?? null,
    autoRefundReason: r.auto_refund_reason ?? null,
    // A JSON column arrives as text (SQLite) or already parsed (PostgreSQL jsonb).
    captureMethod: r.capture_method ?? null,
    captures: typeof r.captures === 'string' ? JSON.parse(r.captures) : (r.captures ?? []),
    authorizationReleased: Boolean(r.authorization_released),
    createdAt: fromDbDate(r.created_at),
    updatedAt: fromDbDate(r.updated_at),
  };
}

export function toRefund(r: Row): RefundRecord {
  return {
    id: r.id,
    orderId: r.order_id,
    paymentId: r.payment_id,
    amount: Number(r.amount),
    currency: r.currency,
    status: r.status,
    providerRefundId: r.provider_refund_id ?? null,
    reason: r.reason ?? null,
    failureMessage: r.failure_message ?? null,
    createdAt: fromDbDate(r.created_at),
    updatedAt: fromDbDate(r.updated_at),
  };
}

export function toDispute(r: Row): DisputeRecord {
  return {
    id: r.id,
    orderId: r.order_id,
    paymentId: r.payment_id,
    provider: r.provider,
    providerDisputeId: r.provider_dispute_id,
    status: r.status,
    reason: r.reason ?? null,
    amount: r.amount === null || r.amount === undefined ? null : Number(r.amount),
    currency: r.currency ?? null,
    createdAt: fromDbDate(r.created_at),
    updatedAt: fromDbDate(r.updated_at),
  };
}

export function toEvent(r: Row): OrderEventRecord {
  return {
    sequence: Number(r.sequence),
    type: r.type,
    fromStatus: r.from_status ?? null,
    toStatus: r.to_status ?? null,
    source: r.source,
    message: r.message ?? null,
    at: fromDbDate(r.at),
  };
}
