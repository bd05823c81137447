import { NativeInsert } from '../../db/multi-row-insert';
import type { NativeStatement } from '../../db/sql-executor';
import { WebhookEventStatus } from '../../model/webhook-event-status';
import type { InboxRow } from './webhook-inbox.rows';

/**
 * Ingest's INSERT of a group commit's rows, in the driver's own SQL (NativeInsert): the status
 * columns and, on SQLite, the claim are the same for every row and bound once; a row binds its id,
 * its receipt order (SQLite) and what the delivery brought. A stored (provider, event_id) is
 * skipped, and the new rows' keys come back.
 */
export class InboxInsert {
  private readonly text: NativeInsert;

  constructor(
    private readonly kind: 'sqlite' | 'postgresql',
    table: string,
  ) {
    const sqlite = kind === 'sqlite';
    this.text = new NativeInsert(kind, {
      table,
      // SQLite is one process: the instance that appends an event claims it in the same INSERT.
      shared: sqlite ? ['status', 'outcome', 'claimed_by', 'claimed_until'] : ['status', 'outcome'],
      // PostgreSQL numbers `seq` from a sequence.
      columns: sqlite ? ['id', 'seq', 'provider', 'event_id', 'type', 'payload', 'received_at'] : ['id', 'provider', 'event_id', 'type', 'payload', 'received_at'],
      ignoreConflictOn: ['provider', 'event_id'],
      returning: ['provider', 'event_id'],
    });
  }

  /** `claim` (SQLite): owner and lease end; `nextSeq` (SQLite): the next receipt order; `date`: a date as the column stores it. */
  statement(rows: InboxRow[], claim: [string, unknown] | undefined, nextSeq: () => number, date: (value: Date) => unknown): NativeStatement {
    const bindings: unknown[] = [WebhookEventStatus.RECEIVED, WebhookEventStatus.RECEIVED];
    if (this.kind === 'sqlite') bindings.push(...claim!);
    for (const r of rows) {
      bindings.push(r.id);
      if (this.kind === 'sqlite') bindings.push(nextSeq());
      bindings.push(r.provider, r.eventId, r.type, r.payload, date(r.receivedAt));
    }
    return { sql: this.text.sql(rows.length), bindings };
  }
}
