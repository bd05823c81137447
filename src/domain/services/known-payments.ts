import type { PaymentEntity } from '../../db/entities';
import type { PaymentRef } from '../providers/provider-events';
import type { PaymentProvider } from '../../model/payment-types';

/** A provider and the ids one event names its attempt by. */
export interface PaymentLookup {
  provider: PaymentProvider;
  ref: PaymentRef;
}

/** Attempts indexed by every id an event may name them by (our id, the provider's ids), per provider. */
export class KnownPayments {
  private readonly byKey = new Map<string, PaymentEntity>();

  constructor(payments: PaymentEntity[]) {
    for (const p of payments) {
      for (const [kind, value] of [['id', p.id], ['session', p.providerSessionId], ['payment', p.providerPaymentId], ['charge', p.providerChargeId]] as const) {
        if (value) this.byKey.set(`${p.provider}:${kind}:${value}`, p);
      }
    }
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
