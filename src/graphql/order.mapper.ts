import type { DisputeEntity, RefundEntity } from '../db/entities';
import { capturableAmount } from '../domain/services/authorization-captures';
import type { CatalogProduct } from '../domain/services/catalog.service';
import type { DisputeRecord, OrderRecord, OrderWithDisputes } from '../model/order-record';
import type { Dispute } from './types/dispute.type';
import type { Order } from './types/order.type';
import type { Product } from './types/product.type';
import type { Refund } from './types/refund.type';

/**
 * An order record → API shape (columns such as the token hash and lock version never leave through
 * here); its disputes are the ones read with it when it was (`OrderWithDisputes`), else come from
 * `disputes` only when a query selects them (batched across the request by the context's loader).
 */
export function toOrder(order: OrderRecord | OrderWithDisputes, disputes: { load(orderId: string): Promise<DisputeRecord[]> }): Order {
  const { id, status, currency, amount, amountRefunded, amountCaptured, customerEmail, createdAt, updatedAt, items, payments, refunds, events } = order;
  const read = 'disputes' in order ? order.disputes : undefined;
  return {
    id, status, currency, amount, amountRefunded, amountCaptured, customerEmail, createdAt, updatedAt, items, refunds, events,
    payments: payments.map((p) => ({ ...p, amountCapturable: capturableAmount(p) })),
    disputes: async () => (read ?? (await disputes.load(id))).map(toDispute),
  };
}

export function toProduct(p: CatalogProduct): Product {
  return { sku: p.sku, name: p.name, description: p.description ?? null, unitAmount: p.unitAmount, currency: p.currency };
}

export function toRefund(r: RefundEntity): Refund {
  return {
    id: r.id,
    orderId: r.order.id,
    paymentId: r.payment.id,
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    providerRefundId: r.providerRefundId ?? null,
    reason: r.reason ?? null,
    failureMessage: r.failureMessage ?? null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export function toDispute(d: DisputeEntity | DisputeRecord): Dispute {
  return {
    id: d.id,
    paymentId: 'paymentId' in d ? d.paymentId : d.payment.id,
    provider: d.provider,
    providerDisputeId: d.providerDisputeId,
    status: d.status,
    reason: d.reason ?? null,
    amount: d.amount ?? null,
    currency: d.currency ?? null,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}
