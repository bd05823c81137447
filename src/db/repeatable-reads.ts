import type { Row, SqlExecutor, Statement } from './sql-executor';

/**
 * Reads made through `db`, kept with what each returned, so that they can be made again later
 * (on another connection, inside a write transaction) and compared. When every read returns the
 * same rows again, whatever was decided from the first answers holds for the database as it is
 * now: the decision can be written without being made again.
 */
export class RepeatableReads implements SqlExecutor {
  private readonly made: { statement: Statement; answer: string }[] = [];

  constructor(private readonly db: SqlExecutor) {}

  async rows<T = Row>(statement: Statement): Promise<T[]> {
    const rows = await this.db.rows<T>(statement);
    this.made.push({ statement, answer: JSON.stringify(rows) });
    return rows;
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(new RepeatableReads(tx)));
  }

  /**
   * Makes every read again on `db`, sent together (one connection runs them in turn, without a
   * round trip to this thread between them); false when any answer differs.
   */
  async sameOn(db: SqlExecutor): Promise<boolean> {
    const again = await Promise.all(this.made.map(({ statement }) => db.rows(statement)));
    return again.every((rows, i) => JSON.stringify(rows) === this.made[i].answer);
  }
}
