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
  let sql: string[] = [];
  let rows = 0;
  let recording = false;
  // The webhook inbox worker polls in the background on the same connections; its statements are not the request's.
  const inboxPoll = (text: string) => text.includes('webhook_events');
  for (const knex of new Set([ts.service.orm.em.getConnection().getKnex(), ...readReplicas(ts).map((c) => c.getKnex()), ts.service.reads.knex])) {
    knex.on('query', (q: { sql: string }) => {
      if (recording && !inboxPoll(q.sql)) sql.push(q.sql);
    });
    knex.on('query-response', (response: unknown, q: { sql: string }) => {
      if (recording && !inboxPoll(q.sql) && Array.isArray(response)) rows += response.length;
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
      } finally {
        recording = false;
      }
      return sql;
    },
  };
}
