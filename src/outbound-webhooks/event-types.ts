import type { OutboxChange } from '../outbox/outbox.store';

/**
 * The outbound event types (README "Outbound webhooks"), each with when it is sent. An endpoint
 * subscribes to some of them, or to `*` for all.
 */
export const OUTBOUND_EVENT_TYPES: Readonly<Record<string, string>> = {
  'order.status_changed': 'every status change of an order',
  'order.paid': 'the order became PAID (captured; also back to PAID after a won dispute or a reversed refund)',
  'order.authorized': 'funds are held (manual capture), not yet captured',
  'order.refunded': 'the order became PARTIALLY_REFUNDED or REFUNDED (each further partial refund too)',
  'order.disputed': 'a dispute was opened (or lost) on the order',
  'order.canceled': 'the order was canceled before payment',
  'order.expired': 'the checkout session or provider order expired unpaid',
  'order.payment_failed': 'the order became FAILED (its last attempt failed)',
  'payment.failed': 'a payment attempt failed (declined card, failed 3-D Secure, …), with the provider code',
  'payment.voided': 'an authorization was released; nothing was charged',
  'payment.capture_refused': 'the provider refused a capture',
  'refund.failed': 'a refund failed',
  'dispute.updated': 'a dispute was won, lost or closed without changing the order status',
};

const BY_STATUS: Readonly<Record<string, string>> = {
  PAID: 'order.paid',
  AUTHORIZED: 'order.authorized',
  PARTIALLY_REFUNDED: 'order.refunded',
  REFUNDED: 'order.refunded',
  DISPUTED: 'order.disputed',
  CANCELED: 'order.canceled',
  EXPIRED: 'order.expired',
  FAILED: 'order.payment_failed',
};

const BY_LOG_TYPE: Readonly<Record<string, string>> = {
  PAYMENT_FAILED: 'payment.failed',
  PAYMENT_VOIDED: 'payment.voided',
  CAPTURE_REFUSED: 'payment.capture_refused',
  REFUND_FAILED: 'refund.failed',
};

/** The event types one outbox change is sent as (each its own message). */
export function eventTypesOf(change: OutboxChange): string[] {
  if (change.type === 'STATUS_CHANGED') {
    const specific = change.toStatus ? BY_STATUS[change.toStatus] : undefined;
    return specific ? ['order.status_changed', specific] : ['order.status_changed'];
  }
  if (change.type.startsWith('DISPUTE_')) return ['dispute.updated'];
  const type = BY_LOG_TYPE[change.type];
  return type ? [type] : [];
}

/** Whether an endpoint subscribed to `events` receives `type`. */
export function subscribes(events: readonly string[], type: string): boolean {
  return events.includes('*') || events.includes(type);
}
