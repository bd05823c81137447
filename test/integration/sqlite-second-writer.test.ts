import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { databaseConfig } from '../../src/config/database.config';
import { openDatabase, type Orm } from '../../src/db/orm';
import { OrderEntity } from '../../src/db/entities';
import { inOrderTransaction } from '../../src/domain/services/order-transaction';
import { OrderStatus } from '../../src/model/order-status';

/**
 * Two processes on one SQLite file (as the multi-instance tests run): a transaction that has read
 * may not write once the other connection has committed since (WAL answers "database is locked" at
 * once, without waiting). The order transaction runs its work again, as if it had waited its turn,
 * instead of failing the request. Real file, two real connections, the service's migrations.
 */
describe('an order transaction when another connection writes the SQLite file meanwhile', () => {
  let dir: string;
  let first: Orm;
  let second: Orm;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'second-writer-'));
    const config = databaseConfig(`sqlite:${path.join(dir, 'payments.sqlite')}`, []);
    first = await openDatabase(config);
    second = await openDatabase(config);
  });

  afterAll(async () => {
    await first.close(true);
    await second.close(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the work again and commits it, with what the other connection wrote kept', async () => {
    const em = first.em.fork();
    const order = em.create(OrderEntity, { currency: 'USD', amount: 1200, accessTokenHash: `hash-${Date.now()}`, customerEmail: null });
    await em.flush();
    let runs = 0;
    const published: string[] = [];

    await inOrderTransaction(first.em, { publish: (change) => published.push(change.status) }, async (uow) => {
      runs++;
      const loaded = await uow.em.findOneOrFail(OrderEntity, { id: order.id });
      // Between this transaction's read and its write, the other connection commits a change.
      if (runs === 1) await second.em.getConnection().execute(`update orders set customer_email = 'other@example.com' where id = ?`, [order.id]);
      uow.transition(loaded, OrderStatus.CANCELED, 'test:second-writer');
    });

    expect(runs).toBe(2);
    expect(published).toEqual([OrderStatus.CANCELED]);
    const stored = await first.em.fork().findOneOrFail(OrderEntity, { id: order.id });
    expect([stored.status, stored.customerEmail]).toEqual([OrderStatus.CANCELED, 'other@example.com']);
  });
});
