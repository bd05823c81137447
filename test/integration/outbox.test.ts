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
});
