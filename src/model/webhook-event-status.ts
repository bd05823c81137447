/**
 * Where a stored provider event is in the inbox (GraphQL enum `WebhookEventStatus`).
 * RECEIVED and FAILED are still in line for the applier; the other three are final until an
 * operator replays (DEAD, IGNORED) or puts DEAD events back in line.
 */
export enum WebhookEventStatus {
  /** Stored and acknowledged, not applied yet. */
  RECEIVED = 'RECEIVED',
  /** Applied to our payments and orders. */
  APPLIED = 'APPLIED',
  /** Stored, but nothing of ours to apply (a type we do not handle, no matching payment). */
  IGNORED = 'IGNORED',
  /** The last attempt threw; retried at `nextAttemptAt`. */
  FAILED = 'FAILED',
  /** WEBHOOK_MAX_ATTEMPTS attempts failed; waits for an operator (replay or retryDeadWebhookEvents). */
  DEAD = 'DEAD',
}

/** Statuses the applier still has to work on. */
export const PENDING_WEBHOOK_STATUSES: readonly WebhookEventStatus[] = [WebhookEventStatus.RECEIVED, WebhookEventStatus.FAILED];
