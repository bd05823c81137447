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
 * The signal the inbox worker stands back on (`maxDeferMs`): a flood fills group commit after group
 * commit; deliveries one at a time, or one burst, never count as one.
 * Against a real SQLite file with the service's migrations.
 */
describe('inbox flood signal', () => {
  let dir: string;
  let orm: Orm;
  let appender: GroupCommitAppender;
  /** What the appender calls after each commit that stored something (the service wakes its worker there). */
  let afterCommit: () => void = () => undefined;
  /**
   * The appender's clock: the real one, except while a test holds it still. The signal counts gaps
   * of under 5 ms between commits, which a loaded machine (a full test run on two cores) can stretch
   * however the commits follow each other; held still, the gaps are the ones the code makes, none.
   */
  let heldAt: number | undefined;
  const clock = () => heldAt ?? Date.now();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'flood-signal-'));
    orm = await openDatabase(databaseConfig(`sqlite:${path.join(dir, 'inbox.sqlite')}`, []));
    const store = new WebhookInboxStore((orm.em.getConnection() as AbstractSqlConnection).getKnex(), 'sqlite', 'flood-test', 30_000);
    await store.init();
    appender = new GroupCommitAppender(store, { maxQueued: 1000, maxQueuedBytes: 1 << 20 }, () => afterCommit(), clock);
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

  it('one burst of 50 concurrent deliveries is not a flood (a paced provider sends such bursts)', async () => {
    expect(await Promise.all(Array.from({ length: 50 }, () => appender.append(row())))).toEqual(Array(50).fill('stored'));
    expect(appender.flooded).toBe(false);
  });

  it('deliveries that fill commit after commit are a flood, which ends once they stop', async () => {
    const wave = () => Promise.all(Array.from({ length: 50 }, () => appender.append(row())));
    // As in a flood, the next 50 deliveries are waiting whenever a commit ends (here: they arrive
    // as it ends), so commits follow each other without a pause, whatever else loads the machine.
    const waves: Promise<unknown>[] = [];
    const floodedAfter: boolean[] = [];
    afterCommit = () => {
      floodedAfter.push(appender.flooded);
      if (waves.length < 5) waves.push(wave());
    };
    await new Promise((r) => setTimeout(r, 20)); // quiet first: the burst of the test before is over
    heldAt = Date.now();
    waves.push(wave());
    while (floodedAfter.length < 5) await new Promise((r) => setTimeout(r, 5));
    afterCommit = () => undefined;
    await Promise.all(waves);
    // Full commits one right after the other: from the third in a row on, ingest counts as flooded.
    expect(floodedAfter.slice(0, 5)).toEqual([false, false, true, true, true]);
    // 20 ms without a commit: the flood is over.
    heldAt! += 20;
    expect(appender.flooded).toBe(false);
    heldAt = undefined;
  });
});
