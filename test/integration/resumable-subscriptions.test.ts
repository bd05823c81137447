import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { checkout, payOnHostedPage, refund, waitForStatus } from '../e2e/stripe.e2e-helpers';
import { collect, createOrder, eventually, gql, startTestService, wsClient, type TestService } from '../helpers/service.helpers';
import { tcpProxy, type TcpProxy } from '../helpers/tcp.helpers';

const SUBSCRIPTION = `subscription($id: ID!, $afterSequence: Int) {
  orderStatusChanged(orderId: $id, afterSequence: $afterSequence) { sequence status previousStatus order { id status } }
}`;
type Change = { sequence: number; status: string; previousStatus: string | null };
type Event = { orderStatusChanged: Change };

/** orderStatusChanged(orderId, afterSequence): a client that lost its socket resumes without a gap or a repeat. */
describe('resumable orderStatusChanged', () => {
  let ts: TestService;
  let proxy: TcpProxy;
  const clients: Client[] = [];

  beforeAll(async () => {
    ts = await startTestService();
    proxy = await tcpProxy('127.0.0.1', ts.service.port);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await proxy.down();
    await ts.close();
  });

  const listening = (id: string, count = 1) => eventually(async () => ts.service.services.pubSub.subscriberCount(id) === count, `${count} subscription(s) to listen`);

  it('a subscriber whose socket is cut while the order goes PENDING → PAID → PARTIALLY_REFUNDED reconnects with afterSequence and sees each change once, in order', async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 2 }]);
    const seen: Change[] = [];
    // As the storefront does (public/js/live.js): graphql-ws reconnects by itself and re-sends this very
    // variables object, which holds the last sequence seen.
    const variables: { id: string; afterSequence: number | null } = { id, afterSequence: null };
    const client = createClient({
      url: `ws://127.0.0.1:${proxy.port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${ts.adminKey}` },
      retryAttempts: 50,
      retryWait: () => new Promise((resolve) => setTimeout(resolve, 100)),
      shouldRetry: () => true,
      lazy: true,
    });
    clients.push(client);
    client.subscribe<Event>({ query: SUBSCRIPTION, variables }, {
      next: (result) => {
        const change = result.data?.orderStatusChanged;
        if (!change) return;
        seen.push(change);
        variables.afterSequence = change.sequence;
      },
      error: () => undefined,
      complete: () => undefined,
    });
    await listening(id);

    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    await eventually(async () => seen.some((c) => c.status === 'PENDING'), 'PENDING to arrive live');
    await proxy.down();
    await listening(id, 0);

    expect((await payOnHostedPage(session.url)).status).toBe(303);
    await waitForStatus(ts, id, 'PAID');
    expect((await refund(ts, id, 100)).errors).toBeUndefined();
    await waitForStatus(ts, id, 'PARTIALLY_REFUNDED');
    expect(seen.map((c) => c.status)).toEqual(['PENDING']);

    await proxy.up();
    await eventually(async () => seen.some((c) => c.status === 'PARTIALLY_REFUNDED'), 'the missed changes to be replayed', 10_000);
    // And live again after the replay.
    expect((await refund(ts, id, 100)).errors).toBeUndefined();
    await eventually(async () => seen.filter((c) => c.status === 'PARTIALLY_REFUNDED').length === 2, 'the next change, live');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.map((c) => [c.previousStatus, c.status])).toEqual([
      ['CREATED', 'PENDING'],
      ['PENDING', 'PAID'],
      ['PAID', 'PARTIALLY_REFUNDED'],
      ['PARTIALLY_REFUNDED', 'PARTIALLY_REFUNDED'],
    ]);
    const sequences = seen.map((c) => c.sequence);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
    expect(new Set(sequences).size).toBe(sequences.length);
  }, 30_000);

  it('a change committed but not yet published when a client resumes reaches it once: from the replay, not again live', async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const events = (await gql(ts.graphqlUrl, `query($id: ID!) { order(id: $id) { events { sequence } } }`, { id }, token)).data!.order.events;
    const created = events[events.length - 1].sequence as number;
    await ts.service.services.outbox.stop();
    try {
      expect((await gql(ts.graphqlUrl, `mutation($id: ID!) { cancelOrder(orderId: $id) { id } }`, { id }, token)).errors).toBeUndefined();
      const c = wsClient(ts.wsUrl, token);
      clients.push(c);
      const sub = collect<Event>(c, SUBSCRIPTION, { id, afterSequence: created });
      await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
      ts.service.services.outbox.start();
      await ts.service.services.outbox.idle();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(sub.results.map((r) => r.data?.orderStatusChanged.status)).toEqual(['CANCELED']);
    } finally {
      ts.service.services.outbox.start();
    }
  });

  it('afterSequence of the latest change replays nothing; a subscriber without it gets live changes only', async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const canceled = await gql(ts.graphqlUrl, `mutation($id: ID!) { cancelOrder(orderId: $id) { events { sequence } } }`, { id }, token);
    const events = canceled.data!.cancelOrder.events;
    await ts.service.services.outbox.idle();
    const c = wsClient(ts.wsUrl, token);
    clients.push(c);
    const upToDate = collect<Event>(c, SUBSCRIPTION, { id, afterSequence: events[events.length - 1].sequence });
    const plain = collect<Event>(c, SUBSCRIPTION, { id });
    await listening(id, 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(upToDate.results).toHaveLength(0);
    expect(plain.results).toHaveLength(0);
  });
});
