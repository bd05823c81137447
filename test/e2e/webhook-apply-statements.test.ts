import { startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { orderOf, payWithWebhooksHeld, releaseHeldWebhooks, rows } from './stripe.e2e-helpers';

/**
 * The inbox worker applies a batch of events set-based: the attempts and orders are read in a few
 * set queries, decided in memory, written back one statement per table and one insert of the events'
 * applications, one commit; then one update of their results in the inbox's own file. So the SQL a
 * batch costs does not grow with the number of events in it.
 */
describe('applying a batch of webhook events', () => {
  let ts: TestService;
  let recording = false;
  let statements: string[] = [];
  /** The inbox's results, written after the batch's commit (the inbox is a file of its own). */
  let resultUpdates: string[] = [];
  let inTransaction = false;
  /** The batch's reads of its orders' facts, with their bindings, to ask SQLite how it runs them. */
  let factReads: { sql: string; bindings: unknown[] }[] = [];

  beforeAll(async () => {
    // Statements are counted on this thread's connection: the inbox worker applies here (the same code as on its own thread).
    ts = await startTestService({ WEBHOOK_APPLIER: 'inline' });
    const knex = ts.service.orm.em.getConnection().getKnex();
    // Only the applier's transaction, BEGIN to COMMIT: the worker's idle polls and the retention sweep at start are not the batch,
    // nor is the transaction in which the outbox dispatcher (woken by that commit) removes the rows it published.
    let current: string[] = [];
    knex.on('query', (q: { sql: string; bindings?: unknown[] }) => {
      if (!recording) return;
      if (/^select .* from .?(orders|payments|refunds|disputes).? where/i.test(q.sql) && /from .?payments.? where/i.test(q.sql)) factReads.push({ sql: q.sql, bindings: q.bindings ?? [] });
      if (/^begin;?$/i.test(q.sql)) inTransaction = true;
      if (inTransaction) current.push(q.sql);
      if (/^commit;?$/i.test(q.sql)) {
        inTransaction = false;
        if (!current.some((sql) => /outbox_messages/i.test(sql) && !/^insert/i.test(sql))) statements.push(...current);
        current = [];
      }
    });
    // The results go to the inbox file on ingest's connection, with its next group commit.
    ts.service.inboxWriter!.knex.on('query', (q: { sql: string }) => {
      if (recording && /^(with .* )?update .?webhook_events.? set .?status/i.test(q.sql)) resultUpdates.push(q.sql);
    });
  });

  afterAll(async () => {
    await ts.close();
  });

  /** Pays `count` orders on the hosted page, stores their events with the worker stopped, then lets it apply them at once. */
  async function applyPaymentsOf(count: number): Promise<{ statements: string[]; resultUpdates: string[]; events: number }> {
    const orders = await payWithWebhooksHeld(ts, count);
    await ts.service.services.webhooks.stop();
    const before = Number((await rows(ts, 'select count(*) as n from webhook_events'))[0].n);
    await releaseHeldWebhooks(ts);
    await ts.service.sandbox!.idle();
    const events = Number((await rows(ts, 'select count(*) as n from webhook_events'))[0].n) - before;
    statements = [];
    resultUpdates = [];
    factReads = [];
    recording = true;
    try {
      await ts.service.services.webhooks.start();
      await webhooksSettled(ts);
      await ts.service.services.outbox.idle();
    } finally {
      recording = false;
    }
    for (const id of orders) expect((await orderOf(ts, id)).status).toBe('PAID');
    return { statements, resultUpdates, events };
  }

  it('costs the same statements for the events of 2 orders as for those of 12 orders', async () => {
    const two = await applyPaymentsOf(2);
    const twelve = await applyPaymentsOf(12);
    expect(twelve.events).toBeGreaterThanOrEqual(6 * two.events);
    expect(twelve.statements).toHaveLength(two.statements.length);
    // begin, which events are still due (and already applied), the attempts' orders, those orders,
    // their payments, refunds and disputes, the orders' update (version-checked), the payments'
    // update, the order log insert and its outbox rows' insert, the events' applications, commit.
    expect(two.statements.length).toBeLessThanOrEqual(13);
    expect(twelve.statements.filter((sql) => /^commit;?$/i.test(sql))).toHaveLength(1);
    expect(twelve.statements.filter((sql) => /^insert into .?webhook_applications/i.test(sql))).toHaveLength(1);
    expect(twelve.statements.filter((sql) => /webhook_events/i.test(sql) && !/^select/i.test(sql))).toHaveLength(0);
    // Then, after the commit, the results in the inbox file (ingest's connection): one statement for the whole batch.
    expect(twelve.resultUpdates).toHaveLength(1);
  });

  it("finds the batch's orders through the payments' indexes, without a scan of any table (its cost must not grow with the table)", async () => {
    await applyPaymentsOf(3);
    // The attempts' orders, their payments, refunds and disputes: each names its payments by our id or the provider's.
    expect(factReads.length).toBeGreaterThanOrEqual(4);
    const knex = ts.service.orm.em.getConnection().getKnex();
    for (const read of factReads) {
      const plan = (await knex.raw(`explain query plan ${read.sql}`, read.bindings as never[])) as { detail: string }[];
      const scans = plan.map((step) => step.detail).filter((detail) => /^SCAN /.test(detail));
      expect({ sql: read.sql, scans }).toEqual({ sql: read.sql, scans: [] });
    }
  });
});
