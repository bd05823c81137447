import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { ConfigError } from '../../src/config/config.error';
import { loadConfig } from '../../src/config/config';
import { OrderStatus } from '../../src/model/order-status';
import type { OrderStatusChange } from '../../src/model/status-change';
import { createAppPubSub, Topic } from '../../src/graphql/pubsub';
import { connectRedisRelay, redisChannel } from '../../src/graphql/redis-relay';
import { createLogger } from '../../src/logging/logger';
import {
  captureLogs,
  collect,
  createOrder,
  errorCode,
  eventually,
  gql,
  startTestService,
  TEST_ADMIN_KEY,
  type TestService,
  wsClient,
} from '../helpers/service.helpers';
import { refusedPort, tcpProxy } from '../helpers/tcp.helpers';

interface StatusEvent {
  orderStatusChanged: { orderId: string; status: string; previousStatus: string | null; source: string; at: string; order: { id: string; status: string } };
}

const SUBSCRIPTION = `subscription($id: ID!) {
  orderStatusChanged(orderId: $id) { orderId status previousStatus source at order { id status } }
}`;
const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;
const CHARGE = `mutation($input: ChargeWithTokenInput!) { chargeWithToken(input: $input) { order { id status } } }`;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** .ci/run starts redis-server and sets this; without it the suite fails rather than skipping. */
function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) {
    throw new Error(
      'TEST_REDIS_URL is not set: start a Redis server (e.g. `redis-server --port 6390 --daemonize yes --save "" --appendonly no`) and export TEST_REDIS_URL=redis://127.0.0.1:6390, as .ci/run does',
    );
  }
  return url;
}

/** A TCP proxy in front of the test Redis, so one instance's Redis can go away and come back. */
async function redisProxy(target: URL) {
  const proxy = await tcpProxy(target.hostname, Number(target.port || 6379));
  return { url: `redis://127.0.0.1:${proxy.port}`, up: () => proxy.up(), down: () => proxy.down() };
}

/**
 * REDIS_URL: two real instances on one SQLite file and one real Redis; a subscriber on one sees
 * changes committed through the other.
 */
describe('orderStatusChanged across instances (REDIS_URL)', () => {
  let redisUrl: string;
  let a: TestService | undefined;
  let b: TestService | undefined;
  let redis: Redis | undefined;
  const clients: Client[] = [];

  beforeAll(async () => {
    redisUrl = testRedisUrl();
    redis = new Redis(redisUrl, { lazyConnect: true });
    await redis.connect();
    a = await startTestService({ REDIS_URL: redisUrl });
    b = await startTestService({ REDIS_URL: redisUrl }, {}, { databasePath: a.databasePath });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await b?.close();
    await a?.close();
    await redis?.quit();
  });

  function client(ts: TestService, token?: string): Client {
    const c = wsClient(ts.wsUrl, token);
    clients.push(c);
    return c;
  }

  /** Listening on this instance, and Redis has its subscription to the order's channel. */
  async function listening(ts: TestService, orderId: string, count = 1): Promise<void> {
    const channel = redisChannel(`${Topic.ORDER_STATUS_CHANGED}:${orderId}`);
    await eventually(async () => ts.service.services.pubSub.subscriberCount(orderId) === count, 'the subscription to listen');
    await eventually(async () => Number((await redis!.pubsub('NUMSUB', channel))[1]) >= 1, 'Redis to hold the subscription');
  }

  it('a subscriber on B receives CANCELED from cancelOrder on A: previous status, source, a valid DateTime and the committed order', async () => {
    const { id, token } = await createOrder(a!.graphqlUrl, [{ sku: 'SCARF-WOOL', quantity: 1 }]);
    const sub = collect<StatusEvent>(client(b!, token), SUBSCRIPTION, { id });
    await listening(b!, id);
    const startedAt = Date.now();
    const canceled = await gql(a!.graphqlUrl, CANCEL, { id }, token);
    expect(canceled.errors).toBeUndefined();

    const result = await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
    expect(result.errors).toBeUndefined();
    const event = result.data!.orderStatusChanged;
    expect(event).toMatchObject({ orderId: id, status: 'CANCELED', previousStatus: 'CREATED', source: 'mutation:cancelOrder', order: { id, status: 'CANCELED' } });
    expect(event.at).toMatch(ISO_DATE_TIME);
    expect(Date.parse(event.at)).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(Date.parse(event.at)).toBeLessThanOrEqual(Date.now());
    expect(sub.results).toHaveLength(1);
  });

  it('a tok_visa charge on A reaches a subscriber on B as PENDING then PAID', async () => {
    const { id, token } = await createOrder(a!.graphqlUrl, [{ sku: 'TSHIRT-BLK', quantity: 2 }]);
    const sub = collect<StatusEvent>(client(b!, token), SUBSCRIPTION, { id });
    await listening(b!, id);
    const charged = await gql(a!.graphqlUrl, CHARGE, { input: { orderId: id, token: 'tok_visa' } }, token);
    expect(charged.errors).toBeUndefined();

    const paid = await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'PAID');
    expect(paid.data!.orderStatusChanged).toMatchObject({ previousStatus: 'PENDING', source: 'mutation:chargeWithToken', order: { status: 'PAID' } });
    expect(sub.results.map((r) => [r.data?.orderStatusChanged.previousStatus, r.data?.orderStatusChanged.status])).toEqual([
      ['CREATED', 'PENDING'],
      ['PENDING', 'PAID'],
    ]);
  });

  it('an instance delivers its own change to its own subscribers once, not again through Redis', async () => {
    const first = await createOrder(a!.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const second = await createOrder(a!.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const onA = collect<StatusEvent>(client(a!, TEST_ADMIN_KEY), SUBSCRIPTION, { id: first.id });
    const laterOnA = collect<StatusEvent>(client(a!, TEST_ADMIN_KEY), SUBSCRIPTION, { id: second.id });
    await listening(a!, first.id);
    await listening(a!, second.id);

    await gql(a!.graphqlUrl, CANCEL, { id: first.id }, first.token);
    await onA.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
    // Published after the first change was, through B: once it has come back from Redis, an echo of the first would have too.
    await gql(b!.graphqlUrl, CANCEL, { id: second.id }, second.token);
    await laterOnA.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
    expect(onA.results).toHaveLength(1);
    expect(laterOnA.results).toHaveLength(1);
  });

  it("a subscriber with another order's token on B is FORBIDDEN and receives nothing when A changes that order", async () => {
    const mine = await createOrder(a!.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const theirs = await createOrder(a!.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const foreign = collect<StatusEvent>(client(b!, mine.token), SUBSCRIPTION, { id: theirs.id });
    const anonymous = collect<StatusEvent>(client(b!), SUBSCRIPTION, { id: theirs.id });
    const watcher = collect<StatusEvent>(client(b!, TEST_ADMIN_KEY), SUBSCRIPTION, { id: theirs.id });
    await eventually(async () => foreign.done && anonymous.done, 'the unauthorized subscriptions to be refused');
    expect(foreign.results).toHaveLength(1);
    expect(foreign.results[0].data ?? null).toBeNull();
    expect(foreign.results[0].errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(anonymous.results[0].errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    await listening(b!, theirs.id);

    expect(errorCode(await gql(a!.graphqlUrl, CANCEL, { id: theirs.id }, theirs.token))).toBeUndefined();
    await watcher.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
    expect(foreign.results).toHaveLength(1);
    expect(anonymous.results).toHaveLength(1);
    expect(b!.service.services.pubSub.subscriberCount(theirs.id)).toBe(1);
  });

  it('a status change keeps its Date through Redis, to the millisecond', async () => {
    const log = createLogger('silent');
    const sending = await connectRedisRelay({ url: redisUrl, displayUrl: redisUrl }, log);
    const receiving = await connectRedisRelay({ url: redisUrl, displayUrl: redisUrl }, log);
    const sender = createAppPubSub(sending);
    const receiver = createAppPubSub(receiving);
    try {
      const change: OrderStatusChange = { orderId: 'relay-date-check', status: OrderStatus.PAID, previousStatus: OrderStatus.PENDING, source: 'stripe:evt_1', at: new Date('2026-03-04T05:06:07.089Z') };
      const iterator = receiver.subscribe(Topic.ORDER_STATUS_CHANGED, change.orderId)[Symbol.asyncIterator]();
      const next = iterator.next();
      await eventually(async () => Number((await redis!.pubsub('NUMSUB', redisChannel(`${Topic.ORDER_STATUS_CHANGED}:${change.orderId}`)))[1]) >= 1, 'the relay to subscribe');
      sender.publish(Topic.ORDER_STATUS_CHANGED, change.orderId, change);
      const received = (await next).value as OrderStatusChange;
      expect(received).toEqual(change);
      expect(received.at).toBeInstanceOf(Date);
      await iterator.return?.();
    } finally {
      await sender.close();
      await receiver.close();
    }
  });

  it('survives losing Redis while running: mutations commit, local subscribers are served, and cross-instance delivery resumes once Redis is back', async () => {
    const proxy = await redisProxy(new URL(redisUrl));
    const own = await startTestService({ REDIS_URL: proxy.url }, {}, { databasePath: a!.databasePath });
    try {
      const remote = await createOrder(a!.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const local = await createOrder(own.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const remoteSub = collect<StatusEvent>(client(own, TEST_ADMIN_KEY), SUBSCRIPTION, { id: remote.id });
      await listening(own, remote.id);

      await proxy.down();
      const localSub = collect<StatusEvent>(client(own, TEST_ADMIN_KEY), SUBSCRIPTION, { id: local.id });
      await eventually(async () => own.service.services.pubSub.subscriberCount(local.id) === 1, 'the local subscription to listen');
      const canceled = await gql(own.graphqlUrl, CANCEL, { id: local.id }, local.token);
      expect(canceled.errors).toBeUndefined();
      await localSub.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');

      await proxy.up();
      await listening(own, remote.id);
      expect(errorCode(await gql(a!.graphqlUrl, CANCEL, { id: remote.id }, remote.token))).toBeUndefined();
      const event = await remoteSub.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
      expect(event.data!.orderStatusChanged).toMatchObject({ orderId: remote.id, previousStatus: 'CREATED', order: { status: 'CANCELED' } });
    } finally {
      await own.close();
      await proxy.down();
    }
  });

  it('close() closes both Redis connections of the instance', async () => {
    const names = async () => String(await redis!.client('LIST')).split('\n').filter((line) => / name=payments-api /.test(line)).length;
    const before = await names();
    const own = await startTestService({ SANDBOX: 'off', REDIS_URL: redisUrl });
    expect(await names()).toBe(before + 2);
    await own.close();
    await eventually(async () => (await names()) === before, 'the connections to close');
  });
});

/** A Redis that cannot be reached degrades cross-instance delivery only. */
describe('REDIS_URL pointing at a Redis that refuses connections', () => {
  it('the service starts, logs the problem without the password, commits mutations and serves its own subscribers', async () => {
    const log = captureLogs();
    const url = `redis://:s3cret-redis-pw@127.0.0.1:${await refusedPort()}`;
    const ts = await startTestService({ SANDBOX: 'off', REDIS_URL: url }, {}, { logger: createLogger('info', log.stream) });
    const c = wsClient(ts.wsUrl, ts.adminKey);
    try {
      expect(log.text()).toMatch(/Redis is unreachable; this instance keeps serving/);
      expect(log.text()).toContain(':***@127.0.0.1');

      const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const sub = collect<StatusEvent>(c, SUBSCRIPTION, { id });
      await eventually(async () => ts.service.services.pubSub.subscriberCount(id) === 1, 'the subscription to listen');
      const canceled = await gql<{ cancelOrder: { status: string } }>(ts.graphqlUrl, CANCEL, { id }, token);
      expect(canceled.errors).toBeUndefined();
      expect(canceled.data!.cancelOrder.status).toBe('CANCELED');
      const event = await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'CANCELED');
      expect(event.data!.orderStatusChanged).toMatchObject({ orderId: id, previousStatus: 'CREATED', order: { status: 'CANCELED' } });
      await eventually(async () => /Redis command failed; other API instances miss this order status change/.test(log.text()), 'the failed publish to be logged');

      const ready = await fetch(`${ts.url}/readyz`);
      expect(ready.status).toBe(200);
    } finally {
      await c.dispose();
      await ts.close();
    }
    expect(log.text()).not.toContain('s3cret-redis-pw');
  });
});

/** REDIS_URL is validated at start, and a refusal never repeats the value (it may hold a password). */
describe('REDIS_URL configuration', () => {
  it.each(['http://localhost:6379', 'localhost:6379', 'redis://', 'redis://:hunter2-secret@localhost:99999', 'redis://localhost:6379/zero', 'redis://localhost/0?password=hunter2-secret'])(
    'refuses %s naming REDIS_URL',
    (value) => {
      let error: unknown;
      try {
        loadConfig({ REDIS_URL: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/REDIS_URL: must be redis:\/\//);
      expect((error as ConfigError).message).not.toContain('hunter2-secret');
    },
  );

  it('accepts redis:// and rediss:// with credentials and a db number, and hides the password from what it logs', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://localhost:6379' }).redis).toEqual({ url: 'redis://localhost:6379', displayUrl: 'redis://localhost:6379' });
    expect(loadConfig({ REDIS_URL: 'rediss://app:hunter2-secret@cache.example.com:6380/2' }).redis).toEqual({
      url: 'rediss://app:hunter2-secret@cache.example.com:6380/2',
      displayUrl: 'rediss://app:***@cache.example.com:6380/2',
    });
  });
});
