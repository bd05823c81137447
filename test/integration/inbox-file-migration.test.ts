import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import type { AbstractSqlDriver } from '@mikro-orm/knex';
import { inboxPathFor } from '../../src/db/inbox-file';
import { ormOptions } from '../../src/db/orm';

/**
 * Upgrading a SQLite database made before the inbox had a file of its own: its stored webhook
 * events move to the inbox file, whole, and the payments file keeps none.
 */
describe('migration: the webhook inbox moves to its own SQLite file', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'inbox-migration-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves every stored event, with its receipt order and status, and drops the old table', async () => {
    const file = path.join(dir, 'payments.sqlite');
    const orm = await MikroORM.init<AbstractSqlDriver>(ormOptions({ kind: 'sqlite', path: file }));
    try {
      await orm.getMigrator().up({ to: 'Migration20261130012500_authorization_captures' });
      const knex = orm.em.getConnection().getKnex();
      const stored = [1, 2, 3].map((seq) => ({
        id: `event-${seq}`, seq, provider: 'STRIPE', event_id: `evt_${seq}`, type: 'checkout.session.completed', payload: `{"n":${seq}}`,
        status: seq === 3 ? 'RECEIVED' : 'APPLIED', outcome: seq === 3 ? '' : 'APPLIED: paid', attempts: seq === 3 ? 0 : 1, received_at: 1_700_000_000_000 + seq,
      }));
      await knex('main.webhook_events').insert(stored);

      await orm.getMigrator().up();

      expect(existsSync(inboxPathFor(file))).toBe(true);
      expect(await knex('main.sqlite_master').where({ type: 'table', name: 'webhook_events' })).toEqual([]);
      const moved = await knex('inbox.webhook_events').orderBy('seq').select('id', 'seq', 'event_id', 'status', 'attempts', 'payload');
      expect(moved).toEqual(stored.map((s) => ({ id: s.id, seq: s.seq, event_id: s.event_id, status: s.status, attempts: s.attempts, payload: s.payload })));
      // The unique (provider, event id) came along: a late duplicate is still recognised.
      await expect(knex('webhook_events').insert({ ...stored[0], id: 'another', seq: 4 })).rejects.toThrow(/UNIQUE/);
    } finally {
      await orm.close(true);
    }
  });
});
