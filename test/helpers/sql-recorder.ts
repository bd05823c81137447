import type { TestService } from './service.helpers';

/** Records the SQL statements a test service runs, and how many rows they returned, while `during` runs. */
export interface SqlRecorder {
  during(send: () => Promise<unknown>): Promise<string[]>;
  /** Rows returned by the statements of the last `during`. */
  readonly rows: number;
}

export function recordSql(ts: TestService): SqlRecorder {
  const knex = ts.service.orm.em.getConnection().getKnex();
  let sql: string[] = [];
  let rows = 0;
  let recording = false;
  knex.on('query', (q: { sql: string }) => {
    if (recording) sql.push(q.sql);
  });
  knex.on('query-response', (response: unknown) => {
    if (recording && Array.isArray(response)) rows += response.length;
  });
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
