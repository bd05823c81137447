import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import { databaseConfig } from '../../src/config/database.config';
import { openDatabase, type Orm } from '../../src/db/orm';
import { GroupCommitAppender } from '../../src/domain/services/webhook-inbox.appender';
import { WebhookInboxStore, type InboxRow } from '../../src/domain/services/webhook-inbox.store';

/**
 * The signal the inbox worker stands back on (webhook-inbox.applier.ts `maxDeferMs`): a flood of
 * concurrent deliveries fills each group commit; deliveries one at a time never count as one.
 * Against a real SQLite file with the service's migrations.
 */
describe('inbox flood signal', () => {
  let dir: string;
  let orm: Orm;
  let appender: GroupCommitAppender;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'flood-signal-'));
    orm = await openDatabase(databaseConfig(`sqlite:${path.join(dir, 'inbox.sqlite')}`, []));
    const store = new WebhookInboxStore((orm.em.getConnection() as AbstractSqlConnection).getKnex(), 'sqlite', 'flood-test', 30_000);
    await store.init();
    appender = new GroupCommitAppender(store, { maxQueued: 1000, maxQueuedBytes: 1 << 20 }, () => undefined);
  });

  afterAll(async () => {
    await orm.close(true);
    rmSync(dir, { recursive: true, force: true });
  });

  const row = (): InboxRow => ({ id: randomUUID(), provider: 'STRIPE', eventId: `evt_${randomUUID()}`, type: 'checkout.session.completed', payload: '{}', receivedAt: new Date() });

  it('deliveries one at a time never flood', async () => {
    for (let i = 0; i < 20; i++) {
      await appender.append(row());
      expect(appender.flooded).toBe(false);
    }
  });

  it('50 concurrent deliveries flood while they are committed and just after; quiet again 5 ms later', async () => {
    const stored = Promise.all(Array.from({ length: 50 }, () => appender.append(row())));
    expect(appender.flooded).toBe(true);
    expect(await stored).toEqual(Array(50).fill('stored'));
    expect(appender.flooded).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(appender.flooded).toBe(false);
  });
});
