import type { DisputeEntity, OrderEntity, RefundEntity } from '../db/entities';
import type { CatalogProduct } from '../domain/services/catalog.service';
import type { DisputeRecord, OrderRecord } from '../domain/order-record';
import type { Dispute } from './types/dispute.type';
import type { Order } from './types/order.type';
import type { Product } from './types/product.type';
import type { Refund } from './types/refund.type';

/** Entity → API shape. Columns such as the token hash and lock version never leave through here. */
export function toOrder(order: OrderEntity): Order {
  return {
    id: order.id,
    status: order.status,
    currency: order.currency,
    amount: order.amount,
    amountRefunded: order.amountRefunded,
    amountCaptured: order.amountCaptured,
    customerEmail: order.customerEmail ?? null,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
    items: order.items.getItems().map((i) => ({ sku: i.sku, name: i.name, unitAmount: i.unitAmount, quantity: i.quantity, lineAmount: i.lineAmount })),
    payments: order.payments.getItems().map((p) => ({
      id: p.id,
      provider: p.provider,
      method: p.method,
      status: p.status,
      amount: p.amount,
      currency: p.currency,
      providerSessionId: p.providerSessionId ?? null,
      providerPaymentId: p.providerPaymentId ?? null,
      providerChargeId: p.providerChargeId ?? null,
      failureCode: p.failureCode ?? null,
      failureMessage: p.failureMessage ?? null,
      autoRefundReason: p.autoRefundReason ?? null,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    })),
    refunds: order.refunds.getItems().map(toRefund),
    // Not among the relations read with every order: loaded (batched across a page) when selected.
    disputes: async () => (await order.disputes.load({ dataloader: true })).getItems().map(toDispute),
    events: order.events.getItems().map((e) => ({
      sequence: e.sequence,
      type: e.type,
      fromStatus: e.fromStatus ?? null,
      toStatus: e.toStatus ?? null,
      source: e.source,
      message: e.message ?? null,
      at: e.at,
    })),
  };
}

/**
 * A plain order record → API shape; its disputes come from `disputes` only when a query selects
 * them (batched across the request by the context's loader).
 */
export function toOrderFromRecord(order: OrderRecord, disputes: (orderId: string) => Promise<DisputeRecord[]>): Order {
  const { id, status, currency, amount, amountRefunded, amountCaptured, customerEmail, createdAt, updatedAt, items, payments, refunds, events } = order;
  return {
    id, status, currency, amount, amountRefunded, amountCaptured, customerEmail, createdAt, updatedAt, items, payments, refunds, events,
    disputes: async () => (await disputes(id)).map(toDispute),
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
