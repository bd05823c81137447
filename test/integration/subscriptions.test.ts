import type { Client } from 'graphql-ws';
import {
  collect,
  createOrder,
  errorCode,
  eventually,
  gql,
  startTestService,
  wsClient,
  type TestService,
} from '../helpers/service.helpers';

interface StatusEvent {
  orderStatusChanged: {
    orderId: string;
    status: string;
    previousStatus: string | null;
    source: string;
    at: string;
    order: { id: string; status: string; events: { type: string; fromStatus: string | null; toStatus: string | null; source: string }[] };
  };
}

const SUBSCRIPTION = `subscription($id: ID!) {
  orderStatusChanged(orderId: $id) {
    orderId status previousStatus source at
    order { id status events { type fromStatus toStatus source } }
  }
}`;
const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;

/** orderStatusChanged with a real graphql-ws client against the real server. */
describe('orderStatusChanged subscription', () => {
  let ts: TestService;
  const clients: Client[] = [];

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off' });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await ts.close();
  });

  function client(token?: string): Client {
    const c = wsClient(ts.wsUrl, token);
    clients.push(c);
    return c;
  }

  it('delivers CANCELED after cancelOrder, with the previous status, the source and the committed order', async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'SCARF-WOOL', quantity: 1 }]);
    const sub = collect<StatusEvent>(client(token), SUBSCRIPTION, { id });
    await eventually(async () => ts.service.services.pubSub.subscriberCount(id) === 1, 'the subscription to listen');
    const startedAt = Date.now();
    const canceled = await gql(ts.graphqlUrl, CANCEL, { id }, token);
    expect(canceled.errors).toBeUndefined();

    const result = await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
    expect(result.errors).toBeUndefined();
    const event = result.data!.orderStatusChanged;
    expect(event).toMatchObject({ orderId: id, status: 'CANCELED', previousStatus: 'CREATED', source: 'mutation:cancelOrder' });
    expect(Date.parse(event.at)).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(event.order.id).toBe(id);
    expect(event.order.status).toBe('CANCELED');
    expect(event.order.events).toEqual([
      { type: 'ORDER_CREATED', fromStatus: null, toStatus: 'CREATED', source: 'mutation:createOrder' },
      { type: 'STATUS_CHANGED', fromStatus: 'CREATED', toStatus: 'CANCELED', source: 'mutation:cancelOrder' },
    ]);
    expect(sub.results).toHaveLength(1);
  });

  it('delivers nothing about an order the subscriber may not see, nor about other orders', async () => {
    const mine = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const theirs = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const ownOrder = collect<StatusEvent>(client(mine.token), SUBSCRIPTION, { id: mine.id });
    const foreignOrder = collect<StatusEvent>(client(mine.token), SUBSCRIPTION, { id: theirs.id });
    const watcher = collect<StatusEvent>(client(ts.adminKey), SUBSCRIPTION, { id: theirs.id });
    await eventually(async () => foreignOrder.done, 'the foreign subscription to be refused');
    expect(foreignOrder.results).toHaveLength(1);
    expect(foreignOrder.results[0].data ?? null).toBeNull();
    expect(foreignOrder.results[0].errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await eventually(
      async () => ts.service.services.pubSub.subscriberCount(mine.id) === 1 && ts.service.services.pubSub.subscriberCount(theirs.id) === 1,
      'the permitted subscriptions to listen',
    );

    expect(errorCode(await gql(ts.graphqlUrl, CANCEL, { id: theirs.id }, theirs.token))).toBeUndefined();
    await watcher.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
    expect(ownOrder.results).toEqual([]);
    expect(foreignOrder.results).toHaveLength(1);
  });

  it('a refused cancel publishes nothing', async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const sub = collect<StatusEvent>(client(ts.adminKey), SUBSCRIPTION, { id });
    await eventually(async () => ts.service.services.pubSub.subscriberCount(id) === 1, 'the subscription to listen');
    await gql(ts.graphqlUrl, CANCEL, { id }, token);
    await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
    expect(errorCode(await gql(ts.graphqlUrl, CANCEL, { id }, token))).toBe('CONFLICT');
    // A second, later order's event proves the socket is still delivering when we count.
    const later = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const laterSub = collect<StatusEvent>(client(ts.adminKey), SUBSCRIPTION, { id: later.id });
    await eventually(async () => ts.service.services.pubSub.subscriberCount(later.id) === 1, 'the later subscription to listen');
    await gql(ts.graphqlUrl, CANCEL, { id: later.id }, later.token);
    await laterSub.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
    expect(sub.results).toHaveLength(1);
  });

  it('stops listening when the client unsubscribes', async () => {
    const { id } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const sub = collect<StatusEvent>(client(ts.adminKey), SUBSCRIPTION, { id });
    await eventually(async () => ts.service.services.pubSub.subscriberCount(id) === 1, 'the subscription to listen');
    sub.stop();
    await eventually(async () => ts.service.services.pubSub.subscriberCount(id) === 0, 'the server to drop the listener');
  });

  it('closes open subscriptions when the service shuts down', async () => {
    const own = await startTestService({ SANDBOX: 'off' });
    const c = wsClient(own.wsUrl, own.adminKey);
    try {
      const { id } = await createOrder(own.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const sub = collect<StatusEvent>(c, SUBSCRIPTION, { id });
      await eventually(async () => own.service.services.pubSub.subscriberCount(id) === 1, 'the subscription to listen');
      await own.close();
      await eventually(async () => sub.done, 'the subscription to end');
      expect(own.service.services.pubSub.subscriberCount(id)).toBe(0);
    } finally {
      await c.dispose();
    }
  });
});
