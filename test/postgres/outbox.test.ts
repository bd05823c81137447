import type { Client } from 'graphql-ws';
import { collect, createOrder, eventually, gql, startTestService, wsClient, type TestService } from '../helpers/service.helpers';
import { startPostgresService, type ScratchDatabase } from './postgres.helpers';

const SUBSCRIPTION = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { orderId sequence status } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;
type Event = { orderStatusChanged: { orderId: string; sequence: number; status: string } };

function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: start a Redis server and export TEST_REDIS_URL, as .ci/run does');
  return url;
}

/** Two instances on one PostgreSQL database, sharing Redis: each outbox row is published by one instance only. */
describe('PostgreSQL: the outbox across instances', () => {
  let a: TestService & { database: ScratchDatabase };
  let b: TestService;
  const clients: Client[] = [];

  beforeAll(async () => {
    a = await startPostgresService('outbox', { SANDBOX: 'off', REDIS_URL: testRedisUrl() });
    b = await startTestService({ SANDBOX: 'off', REDIS_URL: testRedisUrl(), DATABASE_URL: a.database.url });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await b?.close();
    await a?.close();
  });

  function client(ts: TestService): Client {
    const c = wsClient(ts.wsUrl, ts.adminKey);
    clients.push(c);
    return c;
  }

  it('every change reaches a subscriber on either instance exactly once, whichever instance made it', async () => {
    const orders = await Promise.all(Array.from({ length: 20 }, () => createOrder(a.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }])));
    const [onA, onB] = [client(a), client(b)];
    const subs = orders.flatMap((o) => [collect<Event>(onA, SUBSCRIPTION, { id: o.id }), collect<Event>(onB, SUBSCRIPTION, { id: o.id })]);
    await eventually(async () => orders.every((o) => a.service.services.pubSub.subscriberCount(o.id) === 1 && b.service.services.pubSub.subscriberCount(o.id) === 1), 'every subscription to listen');
    const answers = await Promise.all(orders.map((o, i) => gql((i % 2 ? a : b).graphqlUrl, CANCEL, { id: o.id }, o.token)));
    expect(answers.every((r) => !r.errors)).toBe(true);
    await Promise.all(subs.map((s) => s.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED', 10_000)));
    // Time for a second publication, should an instance publish a row the other one did.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const s of subs) expect(s.results).toHaveLength(1);
    expect(await a.service.orm.em.getConnection().execute('select count(*)::int as n from outbox_messages')).toEqual([{ n: 0 }]);
  }, 60_000);

  it("a row claimed by an instance that died goes out once its lease runs out", async () => {
    const { id } = await createOrder(a.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const sub = collect<Event>(client(b), SUBSCRIPTION, { id });
    await eventually(async () => b.service.services.pubSub.subscriberCount(id) === 1, 'the subscription to listen');
    const execute = (sql: string, params: unknown[] = []) => a.service.orm.em.getConnection().execute(sql, params);
    // As a crashed instance leaves it: the change committed with its outbox row, claimed, never published.
    const [event] = await execute(
      `insert into order_events (order_id, type, from_status, to_status, source, "at") values (?, 'STATUS_CHANGED', 'CREATED', 'CANCELED', 'mutation:cancelOrder', now()) returning sequence`,
      [id],
    );
    await execute(`insert into outbox_messages (event_sequence, order_id, created_at, claimed_by, claimed_until) values (?, ?, now(), 'dead-instance', now() + interval '1 second')`, [event.sequence, id]);
    a.service.services.outbox.wake();
    b.service.services.outbox.wake();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sub.results).toHaveLength(0);
    const published = await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED', 10_000);
    expect(published.data!.orderStatusChanged.sequence).toBe(event.sequence);
  });
});
