/** The rows the webhook inbox stores and hands out (webhook-inbox.store.ts). */
import type { WebhookEventStatus } from '../../model/webhook-event-status';

/** A verified delivery, ready to be appended. */
export interface InboxRow {
  id: string;
  provider: string;
  eventId: string;
  type: string;
  payload: string;
  receivedAt: Date;
  /** SQLite: its receipt order, set as it is appended. */
  seq?: number;
}

/** An event the applier has to work on. */
export interface DueEvent {
  id: string;
  seq: number;
  provider: string;
  eventId: string;
  type: string;
  payload: string | null;
  attempts: number;
}

/** What one attempt at an event ended in, written back in the applying transaction. */
export interface EventResult {
  id: string;
  status: WebhookEventStatus;
  outcome: string;
  orderId: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: Date | null;
  appliedAt: Date | null;
}

/** A row just appended, as the applier takes it when it is handed over instead of read back. */
export function dueFromAppended(row: InboxRow): DueEvent {
  return { id: row.id, seq: row.seq ?? 0, provider: row.provider, eventId: row.eventId, type: row.type, payload: row.payload, attempts: 0 };
}

/** `(provider, eventId)`: the inbox's deduplication key. */
export const inboxKey = (provider: string, eventId: string): string => `${provider}\u0000${eventId}`;
