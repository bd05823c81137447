import { startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { checkout, newOrder, orderOf, payOnHostedPage, payWithWebhooksHeld, releaseHeldWebhooks, rows, waitForStatus } from './stripe.e2e-helpers';

/**
 * After a batch that was not full, the inbox worker and the outbox dispatcher sleep until woken:
 * their read took everything there was when it began, and anything committed since woke them.
 * Each read they made again anyway (the worker's, of the rows whose results were still on their
 * way to the inbox file, then an empty one; the dispatcher's, once per wake of a commit's changes
 * and once more per round) cost a statement and its round trip on the serving thread, per batch.
 * And on SQLite the events ingest has just appended are handed to the worker, which applies them
 * without reading back what this process has just written.
 */
describe('reads of the inbox worker and the outbox dispatcher per batch', () => {
  let ts: TestService;
  let recording = false;
  const dueReads: string[] = [];
  const outboxReads: string[] = [];

  beforeAll(async () => {
    // No poll during the test: every read is one a batch or a wake made.
    ts = await startTestService({ WEBHOOK_APPLIER: 'inline' }, {}, { inbox: { pollMs: 60_000 } });
    // Both read on the read connections beside the writer.
    ts.service.reads.knex.on('query', (q: { sql: string }) => {
      if (!recording) return;
      if (/^select .* from .?webhook_events.? where .* order by .?seq.?/i.test(q.sql)) dueReads.push(q.sql);
      if (/^select .* from outbox_messages o join order_events/i.test(q.sql)) outboxReads.push(q.sql);
    });
  });

  afterAll(async () => {
    await ts.close();
  });

  it('reads the due events once after a start, and the outbox once to publish and once to remove, for a batch of 8 orders', async () => {
    const orders = await payWithWebhooksHeld(ts, 8);
    await ts.service.services.webhooks.stop();
    await releaseHeldWebhooks(ts);
    await ts.service.sandbox!.idle();
    await ts.service.services.outbox.idle();
    recording = true;
    try {
      await ts.service.services.webhooks.start();
      await webhooksSettled(ts);
      // Room for the outbox to publish, and for any read that would follow (waiting on the
      // dispatcher's idle() would wake it, and so read, once more).
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      recording = false;
    }
    await ts.service.services.outbox.idle();
    expect(await rows(ts, 'select count(*) as n from outbox_messages')).toEqual([{ n: 0 }]);
    for (const id of orders) expect((await orderOf(ts, id)).status).toBe('PAID');
    expect(dueReads).toHaveLength(1);
    dueReads.length = 0;
    // The dispatcher: one read that publishes the batch's commit, and one, a moment later (its
    // `removeAfterMs`), that removes what was published.
    expect(outboxReads).toHaveLength(2);
  });

  it('applies events as they arrive without reading the inbox back: no due read for a steady stream of 4 payments', async () => {
    recording = true;
    try {
      for (let i = 0; i < 4; i++) {
        const { id, token } = await newOrder(ts);
        const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
        expect((await payOnHostedPage(session.url)).status).toBe(303);
        await waitForStatus(ts, id, 'PAID');
      }
      await webhooksSettled(ts);
    } finally {
      recording = false;
    }
    expect(dueReads).toEqual([]);
  });
});
