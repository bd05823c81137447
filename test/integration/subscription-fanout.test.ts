import type { Client } from 'graphql-ws';
import { collect, createOrder, eventually, gql, ORDER_FIELDS, startTestService, wsClient, type TestService } from '../helpers/service.helpers';

const SUBSCRIBERS = 60;

/** Issue 12 item 3: one published change loads its order once, however many clients subscribe to it. */
describe('orderStatusChanged fan-out', () => {
  let ts: TestService;
  const clients: Client[] = [];

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off' });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await ts.close();
  });

  it(`loads the order once per change for ${SUBSCRIBERS} subscribers, and each still gets the whole order`, async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const subscription = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { status order { ${ORDER_FIELDS} } } }`;
    const subs = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      if (i % 10 === 0) clients.push(wsClient(ts.wsUrl, ts.adminKey));
      subs.push(collect(clients[clients.length - 1], subscription, { id }));
    }
    await eventually(async () => ts.service.services.pubSub.subscriberCount(id) === SUBSCRIBERS, 'every subscription to listen');

    const orderSelects: string[] = [];
    const knex = ts.service.orm.em.getConnection().getKnex();
    const record = (q: { sql: string }) => {
      if (/^select\b/i.test(q.sql) && /\bfrom [`"]?orders[`"]?/i.test(q.sql)) orderSelects.push(q.sql);
    };
    knex.on('query', record);
    try {
      expect((await gql(ts.graphqlUrl, 'mutation($id: ID!) { cancelOrder(orderId: $id) { id } }', { id }, token)).errors).toBeUndefined();
      const results = await Promise.all(subs.map((s) => s.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED')));
      for (const r of results) {
        expect(r.errors).toBeUndefined();
        expect(r.data!.orderStatusChanged.order).toMatchObject({ id, status: 'CANCELED' });
        expect(r.data!.orderStatusChanged.order.events).toHaveLength(2);
      }
    } finally {
      knex.off('query', record);
    }
    // The mutation reads the order itself; the delivery adds one load, not one per subscriber.
    expect(orderSelects.length).toBeLessThan(6);
  });
});
