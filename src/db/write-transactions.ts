import type { Knex } from '@mikro-orm/knex';

/** Work done inside a write transaction; it must only use `trx`. */
export type WriteWork<T> = (trx: Knex.Transaction) => Promise<T>;

interface Job {
  work: WriteWork<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Most jobs one grouped transaction takes: bounds how long a commit keeps the others waiting. */
const MAX_GROUP = 64;

/**
 * Write transactions with group commit where commits are the limit. SQLite has one connection and
 * makes every commit durable (WAL, `synchronous = FULL`: one fsync per commit), so jobs that arrive
 * while a transaction is running wait and then share the next one, each in its own savepoint: a job
 * that fails rolls back only its own writes, and every job is answered only after the commit that
 * made its writes durable. A lone job runs in a plain transaction (no savepoint). PostgreSQL runs
 * each job in its own transaction on the pool, concurrently.
 */
export class WriteTransactions {
  private readonly queue: Job[] = [];
  private draining = false;

  constructor(
    private readonly knex: () => Knex,
    private readonly grouped: boolean,
  ) {}

  run<T>(work: WriteWork<T>): Promise<T> {
    if (!this.grouped) return this.knex().transaction(work);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) await this.commitGroup(this.queue.splice(0, MAX_GROUP));
    } finally {
      this.draining = false;
    }
  }

  private async commitGroup(jobs: Job[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await this.knex().transaction(async (trx) => {
        if (jobs.length === 1) {
          outcomes.push({ ok: true, value: await jobs[0].work(trx) });
          return;
        }
        for (const job of jobs) {
          try {
            outcomes.push({ ok: true, value: await trx.transaction((savepoint) => job.work(savepoint)) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // Nothing of this group is durable: the lone job's own failure, or the commit itself failed.
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
