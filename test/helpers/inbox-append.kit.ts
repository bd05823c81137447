import { randomUUID } from 'node:crypto';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import type { Orm } from '../../src/db/orm';
import { WebhookInboxStore, inboxKey, type InboxRow } from '../../src/domain/services/webhook-inbox.store';

/**
 * The inbox's append (ingest's one INSERT per group commit, in the driver's own SQL) against a
 * real database with the service's migrations: what it stores, what it skips, in which order, and
 * a group larger than one statement holds. Shared by the SQLite and PostgreSQL suites.
 */
export function inboxAppendCases(open: () => Promise<Orm>, kind: 'sqlite' | 'postgresql'): void {
  let orm: Orm;
  let store: WebhookInboxStore;
  const knex = () => (orm.em.getConnection() as AbstractSqlConnection).getKnex();

  beforeAll(async () => {
    orm = await open();
    store = new WebhookInboxStore(knex(), kind, 'append-test', 30_000);
    await store.init();
  });

  afterAll(async () => {
    await orm.close(true);
  });

  const row = (eventId = `evt_${randomUUID()}`, provider = 'STRIPE'): InboxRow => ({
    id: randomUUID(),
    provider,
    eventId,
    type: 'checkout.session.completed',
    payload: JSON.stringify({ id: eventId, note: "quotes ' and \" and ? and $1 survive" }),
    receivedAt: new Date(Date.UTC(2026, 10, 30, 6, 0, 0, 123)),
  });
  const stored = (ids: string[]) => knex()('webhook_events').whereIn('id', ids).orderBy('seq').select('id', 'seq', 'provider', 'event_id', 'type', 'payload', 'status', 'outcome', 'attempts', 'claimed_by', 'received_at');

  it('stores each new row as RECEIVED with its payload and receipt time, skips stored events, and says which keys were new', async () => {
    const first = [row(), row()];
    expect(await store.append(first)).toEqual(new Set(first.map((r) => inboxKey(r.provider, r.eventId))));
    const again = [row(first[0].eventId), row(), row(first[1].eventId, 'PAYPAL')];
    expect(await store.append(again)).toEqual(new Set([inboxKey('STRIPE', again[1].eventId), inboxKey('PAYPAL', first[1].eventId)]));
    const rows = await stored([...first, ...again].map((r) => r.id));
    // The duplicate (same provider and event id) left no row of its own.
    expect(rows.map((r: { id: string }) => r.id)).toEqual([first[0].id, first[1].id, again[1].id, again[2].id]);
    for (const r of rows) {
      const sent = [...first, ...again].find((s) => s.id === r.id)!;
      expect(r).toMatchObject({ provider: sent.provider, event_id: sent.eventId, type: sent.type, payload: sent.payload, status: 'RECEIVED', outcome: 'RECEIVED', attempts: 0 });
      expect(new Date(kind === 'sqlite' ? Number(r.received_at) : r.received_at).getTime()).toBe(sent.receivedAt.getTime());
      // SQLite is one process: the instance that appends an event claims it; PostgreSQL instances claim when they apply.
      expect(r.claimed_by).toBe(kind === 'sqlite' ? 'append-test' : null);
    }
    const seqs = rows.map((r: { seq: number | string }) => Number(r.seq));
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('a group larger than one statement (500 rows) is stored whole, in receipt order, with in-group duplicates skipped', async () => {
    const group = Array.from({ length: 1_201 }, () => row());
    const duplicate = row(group[700].eventId);
    const keys = await store.append([...group.slice(0, 1_000), duplicate, ...group.slice(1_000)]);
    expect(keys.size).toBe(1_201);
    const rows = await stored([...group, duplicate].map((r) => r.id));
    expect(rows.map((r: { id: string }) => r.id)).toEqual(group.map((r) => r.id));
  });
}
