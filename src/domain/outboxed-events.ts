/**
 * Order log entries that go through the outbox (subscribers and merchant endpoints hear of them):
 * every status change, and the facts about a payment, refund, capture or dispute that change no
 * status. Bookkeeping entries (PAYMENT_STARTED, NEEDS_ATTENTION, …) stay in the log only.
 */
const OUTBOXED = new Set(['STATUS_CHANGED', 'PAYMENT_FAILED', 'PAYMENT_VOIDED', 'REFUND_FAILED', 'CAPTURE_REFUSED']);

/** Whether an order event of this type is written to the outbox with it. */
export function isOutboxed(eventType: string): boolean {
  return OUTBOXED.has(eventType) || eventType.startsWith('DISPUTE_');
}
