import type { AbstractSqlConnection } from '@mikro-orm/knex';
import type { TestService } from './service.helpers';

/** The ORM's read replicas (SQLite's extra read connections to its file), where reads outside a transaction go. */
function readReplicas(ts: TestService): AbstractSqlConnection[] {
  return (ts.service.orm.em.getDriver() as unknown as { replicas: AbstractSqlConnection[] }).replicas;
}

/** Records the SQL statements a test service runs on all its connections, and how many rows they returned, while `during` runs. */
export interface SqlRecorder {
  during(send: () => Promise<unknown>): Promise<string[]>;
  /** Rows returned by the statements of the last `during`. */
  readonly rows: number;
}

export function recordSql(ts: TestService): SqlRecorder {
  let sql: { text: string; txId?: string }[] = [];
  let rows = 0;
  let recording = false;
  // The webhook inbox worker polls in the background on the same connections; its statements are not the request's.
  const inboxPoll = (text: string) => text.includes('webhook_events');
  // Nor are the outbox dispatcher's, which the commit wakes: its claim, and its transaction that
  // removes the rows (told apart by the transaction id; the request's own outbox INSERT is counted).
  // The outbound webhook worker's claims poll in the background too.
  const outboxClaim = (text: string) => /outbox_messages|webhook_deliveries/i.test(text) && !/^insert/i.test(text);
  const outboxTx = new Set<string>();
  for (const knex of new Set([ts.service.orm.em.getConnection().getKnex(), ...readReplicas(ts).map((c) => c.getKnex()), ts.service.reads.knex])) {
    knex.on('query', (q: { sql: string; __knexTxId?: string }) => {
      if (q.__knexTxId && outboxClaim(q.sql)) outboxTx.add(q.__knexTxId);
      if (!recording || inboxPoll(q.sql) || outboxClaim(q.sql)) return;
      sql.push({ text: q.sql, txId: q.__knexTxId });
    });
    knex.on('query-response', (response: unknown, q: { sql: string }) => {
      if (recording && !inboxPoll(q.sql) && !outboxClaim(q.sql) && Array.isArray(response)) rows += response.length;
    });
  }
  return {
    get rows() {
      return rows;
    },
    async during(send) {
      sql = [];
      rows = 0;
      recording = true;
      try {
        await send();
        // The commit woke the dispatcher: let its round end inside the window, so it is told apart whole.
        await ts.service.services.outbox.idle();
      } finally {
        recording = false;
      }
      return sql.filter((s) => !s.txId || !outboxTx.has(s.txId)).map((s) => s.text);
    },
  };
}
