import { systemResolve } from '../../src/outbound-webhooks/http-sender';
import { createLogger } from '../../src/logging/logger';
import { captureLogs, createOrder, errorCode, eventually, gql, startTestService, type TestService } from '../helpers/service.helpers';
import { startTestEndpoint, type TestEndpoint } from '../helpers/webhook-endpoint.server';
import { sampleValue, scrape } from '../helpers/metrics.helpers';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url events enabled } } }`;
const DELETE = `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
const ENDPOINTS = `{ webhookEndpoints { id url events enabled } }`;
const DELIVERIES = `query($endpointId: ID) { webhookDeliveries(endpointId: $endpointId, first: 50) { totalCount edges { node {
  id messageId eventType orderId sequence status attemptCount lastStatusCode payload attempts { statusCode durationMs error responseBody } } } } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id messageId status } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;

type Delivery = { id: string; messageId: string; eventType: string; orderId: string; sequence: number; status: string; attemptCount: number; payload: string; attempts: { statusCode: number | null; error: string | null; responseBody: string | null }[] };

/** Outbound webhooks per Standard Webhooks, to a local endpoint that verifies with the `standardwebhooks` package. */
describe('outbound webhooks', () => {
  let ts: TestService;
  let endpoint: TestEndpoint;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off', OUTBOUND_WEBHOOK_RETRY_BASE_SECONDS: '0.05' }, {}, {
      // merchant.test stands for a merchant's host name: it resolves to the local test endpoint.
      outboundResolve: async (host) => (host === 'merchant.test' ? [{ address: '127.0.0.1', family: 4 }] : systemResolve(host)),
    });
    endpoint = await startTestEndpoint();
  });

  afterAll(async () => {
    await ts.close();
    await endpoint.close();
  });

  const admin = (query: string, variables: Record<string, unknown> = {}) => gql(ts.graphqlUrl, query, variables, ts.adminKey);
  const deliveries = async (endpointId: string): Promise<Delivery[]> => (await admin(DELIVERIES, { endpointId })).data!.webhookDeliveries.edges.map((e: { node: Delivery }) => e.node);

  async function register(url: string, events: string[]): Promise<{ id: string; secret: string }> {
    const created = await admin(CREATE, { input: { url, events } });
    expect(created.errors).toBeUndefined();
    endpoint.setSecret(created.data!.createWebhookEndpoint.secret);
    return { id: created.data!.createWebhookEndpoint.endpoint.id, secret: created.data!.createWebhookEndpoint.secret };
  }

  it('answers 500, 500, then 200: three attempts recorded, DELIVERED, every request verified; redeliver sends the same message again', async () => {
    const { id: endpointId, secret } = await register(`http://merchant.test:${endpoint.port}/hooks`, ['order.canceled']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(JSON.stringify((await admin(ENDPOINTS)).data)).not.toContain(secret);
    endpoint.received.length = 0;
    endpoint.answer = (n) => (n <= 2 ? 500 : 200);
    const { id: orderId, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    expect((await gql(ts.graphqlUrl, CANCEL, { id: orderId }, token)).errors).toBeUndefined();

    const [delivered] = await eventually(async () => {
      const list = await deliveries(endpointId);
      return list.length === 1 && list[0].status === 'DELIVERED' ? list : undefined;
    }, 'the delivery to succeed on its third attempt', 10_000);
    expect(delivered.attempts.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(delivered.attempts[0]).toMatchObject({ error: 'HTTP 500', responseBody: 'status 500' });
    expect(delivered.attemptCount).toBe(3);
    expect(endpoint.received.map((m) => m.verified)).toEqual([true, true, true]);
    expect(new Set(endpoint.received.map((m) => m.id))).toEqual(new Set([delivered.messageId]));
    const body = endpoint.received[2].payload!;
    expect(body.type).toBe('order.canceled');
    expect(body.data.order).toMatchObject({ id: orderId, status: 'CANCELED', currency: 'USD' });
    expect(body.data.order).not.toHaveProperty('events');
    expect(body.data.change).toMatchObject({ sequence: delivered.sequence, type: 'STATUS_CHANGED', status: 'CANCELED', previousStatus: 'CREATED', source: 'mutation:cancelOrder' });

    const again = await admin(REDELIVER, { id: delivered.id });
    expect(again.errors).toBeUndefined();
    expect(again.data!.redeliverWebhook).toMatchObject({ messageId: delivered.messageId, status: 'PENDING' });
    await eventually(async () => endpoint.received.length === 4, 'the redelivery');
    expect(endpoint.received[3]).toMatchObject({ id: delivered.messageId, verified: true });
    await eventually(async () => (await deliveries(endpointId)).every((d) => d.status === 'DELIVERED'), 'the redelivery to be recorded');
    expect(errorCode(await admin(REDELIVER, { id: '00000000-0000-4000-8000-000000000000' }))).toBe('NOT_FOUND');
    const metrics = await scrape(ts.url, ts.adminKey);
    expect(sampleValue(metrics, 'outbound_webhook_attempts_total', { result: 'retry' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(metrics, 'outbound_webhook_attempts_total', { result: 'delivered' })).toBeGreaterThanOrEqual(2);
    expect((await admin(DELETE, { id: endpointId })).data!.deleteWebhookEndpoint).toBe(true);
  }, 30_000);

  it('sends each event type the endpoint subscribed to, and nothing else', async () => {
    const { id: endpointId } = await register(endpoint.url, ['order.status_changed', 'order.paid']);
    endpoint.received.length = 0;
    endpoint.answer = () => 200;
    const { id: orderId, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    expect((await gql(ts.graphqlUrl, CANCEL, { id: orderId }, token)).errors).toBeUndefined();
    await eventually(async () => endpoint.received.length === 1, 'the status_changed message');
    await ts.service.services.outbox.idle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(endpoint.received.map((m) => m.payload!.type)).toEqual(['order.status_changed']);
    expect((await admin(DELETE, { id: endpointId })).data!.deleteWebhookEndpoint).toBe(true);
    expect((await admin(DELETE, { id: endpointId })).data!.deleteWebhookEndpoint).toBe(false);
  });

  it('refuses an unknown event type, a bad URL and a non-admin caller, naming what was wrong', async () => {
    const unknown = await admin(CREATE, { input: { url: endpoint.url, events: ['order.nope'] } });
    expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
    expect(unknown.errors![0].message).toContain("'order.nope'");
    expect(errorCode(await admin(CREATE, { input: { url: 'ftp://example.com/x', events: ['*'] } }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await gql(ts.graphqlUrl, CREATE, { input: { url: endpoint.url, events: ['*'] } }))).toBe('UNAUTHENTICATED');
  });
});

/** Production: https only, no loopback or private address, neither written in the URL nor behind a name. */
describe('outbound webhooks in production', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService(
      { NODE_ENV: 'production', LOG_LEVEL: 'silent', SANDBOX: 'off', ALLOWED_REDIRECT_ORIGINS: 'https://shop.example', OUTBOUND_WEBHOOK_RETRY_BASE_SECONDS: '60' },
      {},
      { outboundResolve: async (host) => (host === 'inside.merchant.example' ? [{ address: '10.0.0.7', family: 4 }] : systemResolve(host)) },
    );
  });

  afterAll(async () => {
    await ts.close();
  });

  const admin = (query: string, variables: Record<string, unknown> = {}) => gql(ts.graphqlUrl, query, variables, ts.adminKey);

  it.each(['https://127.0.0.1/hooks', 'https://10.0.0.1/hooks', 'https://localhost/hooks', 'https://[::1]/hooks', 'https://192.168.1.20/hooks', 'http://merchant.example/hooks'])(
    'refuses %s',
    async (url) => {
      const refused = await admin(CREATE, { input: { url, events: ['*'] } });
      expect(errorCode(refused)).toBe('BAD_USER_INPUT');
      expect(refused.errors![0].extensions!.field).toBe('url');
    },
  );

  it('refuses, at delivery, a host name that resolves to a private address', async () => {
    const created = await admin(CREATE, { input: { url: 'https://inside.merchant.example/hooks', events: ['*'] } });
    expect(created.errors).toBeUndefined();
    const endpointId = created.data!.createWebhookEndpoint.endpoint.id;
    const { id: orderId, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    expect((await gql(ts.graphqlUrl, CANCEL, { id: orderId }, token)).errors).toBeUndefined();
    const attempted = await eventually(async () => {
      const list: Delivery[] = (await admin(DELIVERIES, { endpointId })).data!.webhookDeliveries.edges.map((e: { node: Delivery }) => e.node);
      return list.length > 0 && list.every((d) => d.attempts.length > 0) ? list : undefined;
    }, 'the first attempts');
    for (const d of attempted) {
      expect(d.status).toBe('PENDING');
      expect(d.attempts[0].statusCode).toBeNull();
      expect(d.attempts[0].error).toMatch(/^refused: inside\.merchant\.example resolves to 10\.0\.0\.7/);
    }
  });
});

/** The retry window: a delivery still failing when it closes is FAILED, and an endpoint failing that long is disabled (and logged). */
describe('outbound webhooks to an endpoint that never answers 2xx', () => {
  let ts: TestService;
  let endpoint: TestEndpoint;
  const logs = captureLogs();

  beforeAll(async () => {
    // About 1.5 s of retries 0.1 s apart, then FAILED; the endpoint is disabled after the same time.
    ts = await startTestService(
      { SANDBOX: 'off', OUTBOUND_WEBHOOK_RETRY_BASE_SECONDS: '0.1', OUTBOUND_WEBHOOK_RETRY_HOURS: '0.0004', OUTBOUND_WEBHOOK_DISABLE_AFTER_HOURS: '0.0004' },
      {},
      { logger: createLogger('warn', logs.stream) },
    );
    endpoint = await startTestEndpoint();
    endpoint.answer = () => 503;
  });

  afterAll(async () => {
    await ts.close();
    await endpoint.close();
  });

  it('retries with growing delays, then marks the delivery FAILED and disables the endpoint', async () => {
    const admin = (query: string, variables: Record<string, unknown> = {}) => gql(ts.graphqlUrl, query, variables, ts.adminKey);
    const created = await admin(CREATE, { input: { url: endpoint.url, events: ['*'] } });
    endpoint.setSecret(created.data!.createWebhookEndpoint.secret);
    const endpointId = created.data!.createWebhookEndpoint.endpoint.id;
    const { id: orderId, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    expect((await gql(ts.graphqlUrl, CANCEL, { id: orderId }, token)).errors).toBeUndefined();
    const failed = await eventually(async () => {
      const list: Delivery[] = (await admin(DELIVERIES, { endpointId })).data!.webhookDeliveries.edges.map((e: { node: Delivery }) => e.node);
      return list.length === 2 && list.every((d) => d.status === 'FAILED') ? list : undefined;
    }, 'both deliveries (order.status_changed, order.canceled) to be FAILED', 10_000);
    for (const d of failed) {
      expect(d.attempts.length).toBeGreaterThanOrEqual(2);
      expect(d.attempts.every((a) => a.statusCode === 503)).toBe(true);
    }
    const [listed] = (await admin(ENDPOINTS)).data!.webhookEndpoints;
    expect(listed).toMatchObject({ id: endpointId, enabled: false });
    expect(logs.lines.map((l) => JSON.parse(l)).some((l) => l.endpointId === endpointId && /disabled/.test(String(l.msg)))).toBe(true);
    expect(logs.text()).not.toContain(created.data!.createWebhookEndpoint.secret);
    expect(endpoint.received.every((m) => m.verified)).toBe(true);

    // Fixed: a redelivery enables the endpoint again, and goes through.
    endpoint.answer = () => 200;
    expect((await admin(REDELIVER, { id: failed[0].id })).errors).toBeUndefined();
    await eventually(async () => {
      const list: Delivery[] = (await admin(DELIVERIES, { endpointId })).data!.webhookDeliveries.edges.map((e: { node: Delivery }) => e.node);
      return list.some((d) => d.status === 'DELIVERED');
    }, 'the redelivery to succeed');
    expect((await admin(ENDPOINTS)).data!.webhookEndpoints[0]).toMatchObject({ id: endpointId, enabled: true });
  }, 20_000);
});
