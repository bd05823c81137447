import { createOrder, eventually, gql, startTestService, type TestService } from '../helpers/service.helpers';
import { startTestEndpoint, type TestEndpoint } from '../helpers/webhook-endpoint.server';
import { startPostgresService, type ScratchDatabase } from './postgres.helpers';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`;
const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;
const DELIVERIES = `query($endpointId: ID) { webhookDeliveries(endpointId: $endpointId, first: 100) { totalCount edges { node { status attempts { statusCode } } } } }`;

/** Two instances on one PostgreSQL database send each outbound delivery once (claims with SKIP LOCKED and a lease). */
describe('PostgreSQL: outbound webhooks across instances', () => {
  let a: TestService & { database: ScratchDatabase };
  let b: TestService;
  let endpoint: TestEndpoint;

  beforeAll(async () => {
    a = await startPostgresService('outbound', { SANDBOX: 'off', OUTBOUND_WEBHOOK_RETRY_BASE_SECONDS: '0.05' });
    b = await startTestService({ SANDBOX: 'off', OUTBOUND_WEBHOOK_RETRY_BASE_SECONDS: '0.05', DATABASE_URL: a.database.url });
    endpoint = await startTestEndpoint();
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await endpoint?.close();
  });

  it('delivers every message of changes made on both instances exactly once, retries included', async () => {
    const created = await gql(a.graphqlUrl, CREATE, { input: { url: endpoint.url, events: ['order.canceled'] } }, a.adminKey);
    endpoint.setSecret(created.data!.createWebhookEndpoint.secret);
    const endpointId = created.data!.createWebhookEndpoint.endpoint.id;
    const failedOnce = new Set<string>();
    // Every message fails once (500), then succeeds: a retry must not be sent twice either.
    endpoint.answer = (_n, m) => (failedOnce.has(m.id) ? 200 : (failedOnce.add(m.id), 500));
    const orders = await Promise.all(Array.from({ length: 40 }, () => createOrder(a.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }])));
    const answers = await Promise.all(orders.map((o, i) => gql((i % 2 ? a : b).graphqlUrl, CANCEL, { id: o.id }, o.token)));
    expect(answers.every((r) => !r.errors)).toBe(true);
    const list = await eventually(async () => {
      const res = await gql(a.graphqlUrl, DELIVERIES, { endpointId }, a.adminKey);
      const nodes = res.data!.webhookDeliveries.edges.map((e: { node: { status: string; attempts: { statusCode: number }[] } }) => e.node);
      return nodes.length === orders.length && nodes.every((n: { status: string }) => n.status === 'DELIVERED') ? nodes : undefined;
    }, 'every delivery to be DELIVERED', 20_000);
    for (const d of list) expect(d.attempts.map((x: { statusCode: number }) => x.statusCode)).toEqual([500, 200]);
    const perMessage = new Map<string, number>();
    for (const m of endpoint.received) perMessage.set(m.id, (perMessage.get(m.id) ?? 0) + 1);
    expect(perMessage.size).toBe(orders.length);
    expect([...perMessage.values()].every((n) => n === 2)).toBe(true);
    expect(endpoint.received.every((m) => m.verified)).toBe(true);
  }, 60_000);
});
