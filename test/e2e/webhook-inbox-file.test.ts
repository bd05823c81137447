import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import type Stripe from 'stripe';
import { inboxPathFor } from '../../src/db/inbox-file';
import { paidWhileHeld } from '../helpers/held-webhooks.helpers';
import { eventually, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { holdWebhooks, orderOf, postWebhook, releaseHeldWebhooks, rows, sandboxStripe, sign, waitForStatus } from './stripe.e2e-helpers';

/** Runs `sql` on a raw connection of its own. */
const exec = (db: sqlite3.Database, sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
const close = (db: sqlite3.Database) => new Promise<void>((resolve) => db.close(() => resolve()));
const statusChanges = (order: Record<string, any>) => order.events.filter((e: { type: string }) => e.type === 'STATUS_CHANGED').map((e: { toStatus: string }) => e.toStatus);
const BLOCK_RESULTS = `create trigger inbox.block_results before update of status on webhook_events begin select raise(abort, 'inbox results blocked'); end`;

async function paidCheckout(ts: TestService): Promise<{ id: string; eventId: string; payload: string }> {
  const { id, sessionId, events } = await paidWhileHeld(ts);
  const event = events.find((e) => e.eventType === 'checkout.session.completed' && e.body.data.object.id === sessionId)!;
  return { id, eventId: event.eventId, payload: JSON.stringify(event.body) };
}

/**
 * SQLite keeps the webhook inbox in a file of its own (src/db/inbox-file.ts): ingest's commits take
 * that file's write lock, never the payments file's, and an event's effects commit in the payments
 * file before its result is written to the inbox.
 */
describe('webhook inbox in its own SQLite file', () => {
  let dir: string;
  let ts: TestService;
  let stripe: Stripe;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'payments-inbox-file-'));
    ts = await startTestService({ SANDBOX: 'on', WEBHOOK_APPLIER: 'inline' }, {}, { databasePath: path.join(dir, 'payments.sqlite') });
    stripe = sandboxStripe(ts);
    await holdWebhooks(ts, true);
  });

  afterAll(async () => {
    await releaseHeldWebhooks(ts);
    await ts.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the file beside the payments file, named after it', () => {
    expect(inboxPathFor('/data/payments.sqlite')).toBe('/data/payments.inbox.sqlite');
    expect(inboxPathFor('/data/payments')).toBe('/data/payments.inbox');
    expect(inboxPathFor(':memory:')).toBe(':memory:');
  });

  it('a delivery is stored and answered while another connection holds the payments file’s write lock; applied once it is free', async () => {
    const paid = await paidCheckout(ts);
    const other = new sqlite3.Database(ts.databasePath);
    await exec(other, 'pragma busy_timeout = 5000; begin immediate');
    let answeredInMs: number;
    let answer: Response;
    try {
      const started = Date.now();
      answer = await postWebhook(ts, paid.payload, { 'stripe-signature': sign(stripe, paid.payload) });
      answeredInMs = Date.now() - started;
      // Held past the answer: the event waits in the inbox, the order is not PAID yet.
      await new Promise((r) => setTimeout(r, 200));
      expect((await orderOf(ts, paid.id)).status).toBe('PENDING');
    } finally {
      await exec(other, 'rollback');
      await close(other);
    }
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ received: true, result: 'stored', eventId: paid.eventId });
    // With one file the INSERT waited for the lock, which is held until after the answer: 503 after
    // the busy timeout (5 s). The bound leaves room for a loaded machine.
    expect(answeredInMs).toBeLessThan(2000);
    await waitForStatus(ts, paid.id, 'PAID');
    await webhooksSettled(ts);
    expect(await rows(ts, 'select status from webhook_events where event_id = ?', [paid.eventId])).toEqual([{ status: 'APPLIED' }]);
  });

  it('retention drops old payloads in chunks on ingest’s connection, so deliveries are not held behind one long UPDATE', async () => {
    const writer = ts.service.orm.em.getConnection().getKnex();
    const [{ seq }] = (await writer('webhook_events').max({ seq: 'seq' })) as { seq: number }[];
    const old = Date.now() - 40 * 86_400_000;
    const rowsToDrop = Array.from({ length: 1_200 }, (_, i) => ({
      id: `retention-${i}`, seq: 1_000_000 + i, provider: 'STRIPE', event_id: `evt_retention_${i}`, type: 'charge.succeeded', payload: '{}',
      status: 'APPLIED', outcome: 'APPLIED: test', attempts: 1, received_at: old, applied_at: old,
    }));
    for (let i = 0; i < rowsToDrop.length; i += 200) await writer('webhook_events').insert(rowsToDrop.slice(i, i + 200));
    const updates: string[] = [];
    const record = (q: { sql: string }) => void (/^update .?webhook_events.? set .?payload/i.test(q.sql) && updates.push(q.sql));
    ts.service.inboxWriter!.knex.on('query', record);
    try {
      expect(await ts.service.services.webhooks.sweepRetention()).toBe(1_200);
    } finally {
      ts.service.inboxWriter!.knex.off('query', record);
    }
    expect(updates).toHaveLength(3);
    expect(await rows(ts, 'select count(*) as n from webhook_events where id like ? and payload is null', ['retention-%'])).toEqual([{ n: 1_200 }]);
    expect(seq).toBeLessThan(1_000_000);
  });

  it('effects committed but the result not written to the inbox (the process died in between) → after a restart, the result is written and nothing applied twice', async () => {
    const paid = await paidCheckout(ts);
    const writer = ts.service.orm.em.getConnection();
    await writer.execute(BLOCK_RESULTS);
    const res = await postWebhook(ts, paid.payload, { 'stripe-signature': sign(stripe, paid.payload) });
    expect(res.status).toBe(200);
    await waitForStatus(ts, paid.id, 'PAID');
    // The effects and the application committed; the inbox still has the event in line.
    await eventually(async () => (await rows(ts, 'select 1 from webhook_applications a join webhook_events e on e.id = a.id where e.event_id = ?', [paid.eventId])).length === 1, 'the application');
    expect(await rows(ts, 'select status from webhook_events where event_id = ?', [paid.eventId])).toEqual([{ status: 'RECEIVED' }]);
    // Meanwhile the worker tries again with backoff, not in a hot loop.
    let tries = 0;
    const count = (q: { sql: string }) => void (/^(with .* )?update .?webhook_events.? set .?status/i.test(q.sql) && tries++);
    ts.service.inboxWriter!.knex.on('query', count);
    await new Promise((r) => setTimeout(r, 1000));
    ts.service.inboxWriter!.knex.off('query', count);
    expect(tries).toBeLessThanOrEqual(6);
    await ts.service.services.webhooks.stop();
    await writer.execute('drop trigger inbox.block_results');
    await ts.close();

    ts = await startTestService({ SANDBOX: 'on', WEBHOOK_APPLIER: 'inline' }, {}, { databasePath: path.join(dir, 'payments.sqlite') });
    stripe = sandboxStripe(ts);
    await holdWebhooks(ts, true);
    await eventually(async () => (await rows(ts, `select 1 from webhook_events where event_id = ? and status = 'APPLIED'`, [paid.eventId])).length === 1, 'the event APPLIED');
    const [event] = await rows(ts, 'select attempts, outcome, order_id from webhook_events where event_id = ?', [paid.eventId]);
    expect(event).toMatchObject({ attempts: 1, order_id: paid.id });
    expect(statusChanges(await orderOf(ts, paid.id))).toEqual(['PENDING', 'PAID']);
  });
});
