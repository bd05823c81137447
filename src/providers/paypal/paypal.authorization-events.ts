import type { PaymentAction, PaymentRef } from '../provider-events';
import { fromPayPalValue } from './paypal.money';
import { REFUND_CUSTOM_ID_PREFIX } from './paypal.events';

type Json = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
const obj = (value: unknown): Json | undefined => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined);

/** The order an authorization belongs to: `supplementary_data.related_ids.order_id`, else its `up` link. */
function orderIdOf(auth: Json): string | undefined {
  const related = str(obj(obj(auth.supplementary_data)?.related_ids)?.order_id);
  if (related) return related;
  const links = Array.isArray(auth.links) ? (auth.links as Json[]) : [];
  const up = str(links.find((l) => l?.rel === 'up')?.href);
  return up ? /\/orders\/([^/?#]+)$/.exec(up)?.[1] : undefined;
}

/**
 * A VOIDED authorization whose `expiration_time` had passed when it was closed lapsed (PayPal sends
 * PAYMENT.AUTHORIZATION.VOIDED for both a void and the end of the validity period, and the
 * Payments v2 status enum has no EXPIRED); one closed before it was voided by someone.
 */
function lapsed(auth: Json): boolean {
  const expires = Date.parse(str(auth.expiration_time) ?? '');
  const closed = Date.parse(str(auth.update_time) ?? '') || Date.now();
  return Number.isFinite(expires) && expires <= closed;
}

/**
 * A Payments v2 authorization (webhook resource, GET, void answer or inside an order) → the fact
 * it states. Once captured, its captures speak for the money, so it states nothing itself.
 */
export function authorizationAction(auth: Json, ref: PaymentRef = {}): PaymentAction {
  const customId = str(auth.custom_id);
  const fullRef: PaymentRef = {
    paymentId: ref.paymentId ?? (customId && !customId.startsWith(REFUND_CUSTOM_ID_PREFIX) ? customId : undefined),
    orderId: ref.orderId,
    providerPaymentId: ref.providerPaymentId ?? orderIdOf(auth),
  };
  const status = str(auth.status);
  switch (status) {
    case 'CREATED': {
      const money = obj(auth.amount);
      const currency = str(money?.currency_code);
      const value = str(money?.value);
      if (!currency || !value) return { kind: 'ignored', reason: `authorization ${str(auth.id) ?? '?'} has no amount` };
      try {
        return { kind: 'payment_authorized', ref: fullRef, amount: fromPayPalValue(value, currency), currency };
      } catch {
        return { kind: 'ignored', reason: `authorization ${str(auth.id) ?? '?'} has an invalid amount` };
      }
    }
    case 'PENDING':
      return { kind: 'payment_processing', ref: fullRef };
    case 'DENIED':
      return { kind: 'payment_failed', ref: fullRef, code: 'AUTHORIZATION_DENIED', message: 'PayPal denied the authorization' };
    case 'VOIDED':
      return lapsed(auth) ? { kind: 'payment_expired', ref: fullRef } : { kind: 'payment_voided', ref: fullRef };
    default:
      return { kind: 'ignored', reason: `authorization status ${status ?? 'missing'}: its captures speak for it` };
  }
}
