import { knex, type Knex } from '@mikro-orm/knex';
import { attachInboxOnCreate } from '../../src/db/inbox-file';

/** A read connection to the service's database, for checks the benchmark makes after each run. */
export function openDatabase(databaseUrl: string): Knex {
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length);
    // The webhook inbox is a file of its own beside it (src/db/inbox-file.ts).
    return knex({ client: 'sqlite3', connection: { filename: file }, useNullAsDefault: true, pool: { min: 1, max: 1, afterCreate: attachInboxOnCreate(file, { writer: false, settings: 'pragma query_only = on;' }) } });
  }
  return knex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 2 } });
}

const emailOf = (tag: string) => `${tag}@bench.invalid`;

/** How many of the tagged orders are PAID now. */
export async function paidCount(db: Knex, tag: string): Promise<number> {
  const [row] = await db('orders').where({ customer_email: emailOf(tag), status: 'PAID' }).count({ n: '*' });
  return Number(row.n);
}

/** Waits until all `expected` tagged orders are PAID (or the timeout); returns when that was seen. */
export async function waitAllPaid(db: Knex, tag: string, expected: number, timeoutMs = 600_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while ((await paidCount(db, tag)) < expected) {
    if (Date.now() > deadline) throw new Error(`only ${await paidCount(db, tag)} of ${expected} orders PAID after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now();
}

export interface RoundCheck {
  /** Every order PAID, with exactly one PAID transition. */
  onePaidTransitionEach: boolean;
  /** Every event stored exactly once, and applied. */
  storedOnceApplied: boolean;
  /** orderId → when its PAID transition was made (epoch ms, the service's clock: same machine). */
  paidAt: Map<string, number>;
}

export async function checkRound(db: Knex, tag: string, orders: number): Promise<RoundCheck> {
  const transitions = (await db('order_events as e')
    .join('orders as o', 'o.id', 'e.order_id')
    .where('o.customer_email', emailOf(tag))
    .andWhere('e.to_status', 'PAID')
    .select('o.id as id', 'e.at as at')) as { id: string; at: number | Date }[];
  const paidAt = new Map<string, number>();
  let repeated = false;
  for (const t of transitions) {
    if (paidAt.has(t.id)) repeated = true;
    paidAt.set(t.id, new Date(t.at).getTime());
  }
  const counts = async () => {
    const [events] = await db('webhook_events').where('event_id', 'like', `evt_bench_${tag}_%`).select(
      db.raw('count(*) as n'),
      db.raw('count(distinct event_id) as distinct_ids'),
      db.raw(`sum(case when status = 'APPLIED' then 1 else 0 end) as applied`),
    );
    return events as { n: number; distinct_ids: number; applied: number };
  };
  // SQLite writes an event's APPLIED in the inbox's own file just after the commit that paid its order.
  let e = await counts();
  for (const deadline = Date.now() + 10_000; Number(e.applied) < orders && Date.now() < deadline; e = await counts()) await new Promise((r) => setTimeout(r, 10));
  return {
    onePaidTransitionEach: !repeated && paidAt.size === orders && (await paidCount(db, tag)) === orders,
    storedOnceApplied: Number(e.n) === orders && Number(e.distinct_ids) === orders && Number(e.applied) === orders,
    paidAt,
  };
}
