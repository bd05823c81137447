import type { Client } from 'graphql-ws';
import { collect, createOrder, errorCode, eventually, gql, startTestService, wsClient, type TestService } from '../helpers/service.helpers';

const SUBSCRIPTION = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { orderId sequence status previousStatus source } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status events { sequence type } } }`;

/** The transactional outbox: a status change and its outbox row commit together; publishing is driven from the outbox. */
describe('transactional outbox', () => {
  let ts: TestService;
  let client: Client;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off' });
    client = wsClient(ts.wsUrl, ts.adminKey);
  });

  afterAll(async () => {
    await client.dispose();
    await ts.close();
  });

  const outboxRows = async () =>
    (await ts.service.orm.em.getConnection().execute('select event_sequence, order_id from outbox_messages order by event_sequence')) as { event_sequence: number; order_id: string }[];

  it('writes the row with the change and publishes from it only once the dispatcher runs, then removes it', async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const sub = collect<{ orderStatusChanged: { sequence: number; status: string } }>(client, SUBSCRIPTION, { id });
    await eventually(async () => ts.service.services.pubSub.subscriberCount(id) === 1, 'the subscription to listen');
    await ts.service.services.outbox.stop();
    try {
      const canceled = await gql(ts.graphqlUrl, CANCEL, { id }, token);
      expect(canceled.errors).toBeUndefined();
      const changed = canceled.data!.cancelOrder.events.find((e: { type: string }) => e.type === 'STATUS_CHANGED');
      expect(await outboxRows()).toEqual([{ event_sequence: changed.sequence, order_id: id }]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sub.results).toHaveLength(0);
      ts.service.services.outbox.start();
      const published = await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
      expect(published.data!.orderStatusChanged.sequence).toBe(changed.sequence);
      await ts.service.services.outbox.idle();
      expect(await outboxRows()).toEqual([]);
    } finally {
      ts.service.services.outbox.start();
    }
  });

  it('writes no row for a change that was refused (rolled back)', async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    expect((await gql(ts.graphqlUrl, CANCEL, { id }, token)).errors).toBeUndefined();
    await ts.service.services.outbox.idle();
    await ts.service.services.outbox.stop();
    try {
      expect(errorCode(await gql(ts.graphqlUrl, CANCEL, { id }, token))).toBe('CONFLICT');
      expect(await outboxRows()).toEqual([]);
    } finally {
      ts.service.services.outbox.start();
    }
  });

  it('publishes each commit at once and removes the rows of several commits in one transaction (SQLite)', async () => {
    const orders = await Promise.all([1, 2, 3, 4, 5].map(() => createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }])));
    const subs = orders.map(({ id }) => collect<{ orderStatusChanged: { status: string } }>(client, SUBSCRIPTION, { id }));
    await eventually(async () => orders.every(({ id }) => ts.service.services.pubSub.subscriberCount(id) === 1), 'the subscriptions to listen');
    await ts.service.services.outbox.idle();
    const removals: string[] = [];
    const knex = ts.service.orm.em.getConnection().getKnex();
    const record = (q: { sql: string }) => void (/^delete from .?outbox_messages/i.test(q.sql) && removals.push(q.sql));
    knex.on('query', record);
    try {
      // One commit after the other, each well inside the dispatcher's `removeAfterMs` (50 ms).
      for (const { id, token } of orders) {
        const started = Date.now();
        expect((await gql(ts.graphqlUrl, CANCEL, { id }, token)).errors).toBeUndefined();
        // Published without waiting for the removal.
        await subs[orders.findIndex((o) => o.id === id)].waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
        expect(Date.now() - started).toBeLessThan(500);
      }
      await ts.service.services.outbox.idle();
    } finally {
      knex.off('query', record);
    }
    expect(await outboxRows()).toEqual([]);
    // Every commit removed its own rows before: five transactions, each between two writes.
    expect(removals.length).toBeLessThan(orders.length);
  });
});
