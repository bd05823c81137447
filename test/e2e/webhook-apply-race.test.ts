import { createLogger } from '../../src/logging/logger';
import type { SqlExecutor } from '../../src/db/sql-executor';
import { captureLogs, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { orderOf, payWithWebhooksHeld, releaseHeldWebhooks, rows } from './stripe.e2e-helpers';

/**
 * SQLite: the inbox worker decides a batch on a read connection, then writes it under the writer
 * only if the same reads answer the same there (webhook-inbox.event-apply.ts). Here another writer
 * changes the batch's orders in between, exactly then: the batch is decided again on what the
 * writer sees, and written at once, without falling back to one event at a time and without a
 * second PAID transition. Real service, sandbox, SQLite file.
 */
describe('a batch whose facts move between deciding and writing', () => {
  const logs = captureLogs();
  let ts: TestService;

  beforeAll(async () => {
    // Inline: the test reaches the worker's store in this thread to write at the exact moment,
    // and decides batches before writing them, as it does on its own thread.
    ts = await startTestService({ SANDBOX: 'on', WEBHOOK_APPLIER: 'inline' }, {}, { logger: createLogger('debug', logs.stream), inbox: { decideBeforeWriting: true } });
  });

  afterAll(async () => {
    await ts.close();
  });

  it('is decided again under the writer and applied once', async () => {
    const ids = await payWithWebhooksHeld(ts, 12);
    const inbox = ts.service.services.webhooks;
    await inbox.stop();
    await releaseHeldWebhooks(ts);
    await ts.service.sandbox!.idle();

    // Right after the batch was decided on its read connection, another writer changes its orders (as a
    // mutation committing at that moment would): their versions move, so the decision no longer holds.
    const store = (inbox as unknown as { store: { reads: SqlExecutor } }).store;
    const reads = store.reads;
    let moved = 0;
    store.reads = {
      rows: (statement) => reads.rows(statement),
      transaction: async (work) => {
        const decided = await reads.transaction(work);
        if (moved++ === 0) await ts.service.orm.em.getConnection().execute(`update orders set version = version + 1 where id in (${ids.map(() => '?').join(', ')})`, ids);
        return decided;
      },
    };
    try {
      await inbox.start();
      await webhooksSettled(ts);
    } finally {
      store.reads = reads;
    }

    expect(moved).toBeGreaterThan(0);
    for (const id of ids) {
      expect((await orderOf(ts, id)).status).toBe('PAID');
      expect((await rows(ts, `select count(*) as n from order_events where order_id = ? and to_status = 'PAID'`, [id]))[0].n).toBe(1);
    }
    expect(logs.text()).toMatch(/facts moved before it was written; deciding it again under the writer/);
    expect(logs.text()).not.toMatch(/applying the batch one event at a time/);
  });
});
