import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/core';
import { OrderEntity, PaymentEntity } from '../../db/entities';
import type { PaymentRef } from '../providers/provider-events';
import type { PaymentProvider } from '../../model/payment-types';

/** A provider and the ids one event names its attempt by. */
export interface PaymentLookup {
  provider: PaymentProvider;
  ref: PaymentRef;
}

/**
 * The attempts a batch of events is about, loaded with their orders' payments, refunds and
 * disputes in a few set queries (instead of ~6 per event), so the reconciler decides in memory.
 * A miss is not an answer: the reconciler then asks the database, as it does without a batch.
 */
export class KnownPayments {
  private readonly byKey = new Map<string, PaymentEntity>();

  private constructor(payments: PaymentEntity[]) {
    for (const p of payments) {
      for (const [kind, value] of [['id', p.id], ['session', p.providerSessionId], ['payment', p.providerPaymentId], ['charge', p.providerChargeId]] as const) {
        if (value) this.byKey.set(`${p.provider}:${kind}:${value}`, p);
      }
    }
  }

  /** Attempts already loaded with their orders' payments, refunds and disputes (one attempt's answer). */
  static of(payments: PaymentEntity[]): KnownPayments {
    return new KnownPayments(payments);
  }

  /**
   * One query for the attempts, then one per relation for every order they belong to.
   * `lockOrders` (PostgreSQL, where other transactions write the same orders concurrently): the
   * orders are locked FOR UPDATE first and the attempts read again under that lock. The ORM's
   * batched UPDATE checks `version` in a SELECT before it writes, which only holds when no other
   * transaction can write the order in between.
   */
  static async load(em: EntityManager, lookups: PaymentLookup[], { lockOrders = false } = {}): Promise<KnownPayments> {
    const byProvider = new Map<PaymentProvider, FilterQuery<PaymentEntity>[]>();
    for (const { provider, ref } of lookups) {
      const ors = byProvider.get(provider) ?? [];
      if (ref.paymentId) ors.push({ id: ref.paymentId });
      if (ref.sessionId) ors.push({ providerSessionId: ref.sessionId });
      if (ref.providerPaymentId) ors.push({ providerPaymentId: ref.providerPaymentId });
      if (ref.chargeId) ors.push({ providerChargeId: ref.chargeId });
      byProvider.set(provider, ors);
    }
    const wheres = [...byProvider].filter(([, ors]) => ors.length > 0).map(([provider, ors]) => ({ provider, $or: mergeOr(ors) }) as FilterQuery<PaymentEntity>);
    const read = async (refresh: boolean) => (await Promise.all(wheres.map((where) => em.find(PaymentEntity, where, { populate: ['order'], refresh })))).flat();
    let payments = await read(false);
    if (lockOrders && payments.length > 0) {
      await em.find(OrderEntity, { id: { $in: [...new Set(payments.map((p) => p.order.id))] } }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: 'asc' } });
      payments = await read(true);
    }
    const orders = [...new Set(payments.map((p) => p.order))];
    if (orders.length > 0) await em.populate(orders, ['payments', 'refunds', 'disputes']);
    return new KnownPayments(payments);
  }

  /** The attempt `ref` names, looked up in the same order as the database lookup (our id first). */
  find(provider: PaymentProvider, ref: PaymentRef): PaymentEntity | undefined {
    const keys = [
      ref.paymentId && `${provider}:id:${ref.paymentId}`,
      ref.sessionId && `${provider}:session:${ref.sessionId}`,
      ref.providerPaymentId && `${provider}:payment:${ref.providerPaymentId}`,
      ref.chargeId && `${provider}:charge:${ref.chargeId}`,
    ];
    for (const key of keys) {
      const found = key ? this.byKey.get(key) : undefined;
      if (found) return found;
    }
    return undefined;
  }
}

/** `{ id: a } or { id: b }` → `{ id: { $in: [a, b] } }`: one IN per column instead of a long OR. */
function mergeOr(ors: FilterQuery<PaymentEntity>[]): FilterQuery<PaymentEntity>[] {
  const byColumn = new Map<string, unknown[]>();
  for (const where of ors) {
    const [[column, value]] = Object.entries(where as Record<string, unknown>);
    byColumn.set(column, [...(byColumn.get(column) ?? []), value]);
  }
  return [...byColumn].map(([column, values]) => ({ [column]: { $in: [...new Set(values)] } }) as FilterQuery<PaymentEntity>);
}
