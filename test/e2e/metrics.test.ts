import { freePort } from '../helpers/tcp.helpers';
import { parseMetrics, sampleValue, scrape, type Sample } from '../helpers/metrics.helpers';
import { collect, eventually, gql, startTestService, webhooksSettled, wsClient, type TestService } from '../helpers/service.helpers';
import { charge, newOrder, postWebhook, refund, sandboxStripe } from './stripe.e2e-helpers';

const CANCEL = `mutation($id: ID!) { cancelOrder(orderId: $id) { id status } }`;
const SUBSCRIPTION = `subscription($orderId: ID!) { orderStatusChanged(orderId: $orderId) { status } }`;

describe('GET /metrics after real payments', () => {
  let ts: TestService;
  let before: Sample[];

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on' });
    // Counters are process-wide (other services in this worker add to them): compare with a first scrape.
    before = await scrape(ts.url);
  });

  afterAll(async () => {
    await ts.close();
  });

  const grew = (after: Sample[], name: string, labels: Record<string, string>) => sampleValue(after, name, labels) - sampleValue(before, name, labels);

  it('counts GraphQL operations, provider calls, webhooks, the inbox, payments, refunds and open subscriptions with bounded labels', async () => {
    const paid = await newOrder(ts);
    const client = wsClient(ts.wsUrl, paid.token);
    const sub = collect(client, SUBSCRIPTION, { orderId: paid.id });
    await eventually(async () => sampleValue(await scrape(ts.url), 'graphql_subscriptions_open') >= 1, 'the subscription to be counted');

    expect((await charge(ts, paid.id, paid.token, 'tok_visa')).errors).toBeUndefined();
    await sub.waitFor((r) => (r.data as { orderStatusChanged: { status: string } })?.orderStatusChanged.status === 'PAID');
    expect((await refund(ts, paid.id, 1000)).errors).toBeUndefined();
    const declined = await newOrder(ts);
    expect((await charge(ts, declined.id, declined.token, 'tok_chargeDeclined')).errors![0].extensions!.code).toBe('PROVIDER_ERROR');
    expect((await postWebhook(ts, '{"id":"evt_forged"}', { 'stripe-signature': 't=1,v1=00' })).status).toBe(400);
    await webhooksSettled(ts);

    const after = await scrape(ts.url);
    expect(grew(after, 'graphql_operation_duration_seconds_count', { operation_type: 'mutation', operation: 'chargeWithToken', outcome: 'OK' })).toBe(1);
    expect(grew(after, 'graphql_operation_duration_seconds_count', { operation: 'chargeWithToken', outcome: 'PROVIDER_ERROR' })).toBe(1);
    expect(grew(after, 'graphql_operation_duration_seconds_count', { operation: 'refundOrder', outcome: 'OK' })).toBe(1);
    expect(grew(after, 'http_request_duration_seconds_count', { method: 'POST', route: '/graphql', status_code: '200' })).toBeGreaterThanOrEqual(4);
    expect(grew(after, 'provider_call_duration_seconds_count', { provider: 'STRIPE', operation: 'chargeCard', outcome: 'ok' })).toBe(1);
    expect(grew(after, 'provider_call_duration_seconds_count', { provider: 'STRIPE', operation: 'refund', outcome: 'ok' })).toBe(1);
    expect(grew(after, 'provider_call_errors_total', { provider: 'STRIPE', code: 'card_declined' })).toBe(1);
    expect(grew(after, 'webhook_deliveries_total', { provider: 'STRIPE', result: 'stored' })).toBeGreaterThanOrEqual(2);
    expect(grew(after, 'webhook_deliveries_total', { provider: 'STRIPE', result: 'rejected' })).toBe(1);
    // Deliveries on the plain node:http ingest path are timed like every other request.
    expect(grew(after, 'http_request_duration_seconds_count', { method: 'POST', route: '/webhooks/stripe', status_code: '200' })).toBeGreaterThanOrEqual(2);
    expect(grew(after, 'http_request_duration_seconds_count', { method: 'POST', route: '/webhooks/stripe', status_code: '400' })).toBe(1);
    expect(grew(after, 'webhook_events_applied_total', { provider: 'STRIPE' })).toBeGreaterThanOrEqual(2);
    // Read from this service's database: the figures of this test alone.
    expect(sampleValue(after, 'webhook_inbox_events', { status: 'RECEIVED' })).toBe(0);
    expect(sampleValue(after, 'webhook_inbox_events', { status: 'APPLIED' }) + sampleValue(after, 'webhook_inbox_events', { status: 'IGNORED' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(after, 'webhook_inbox_oldest_pending_age_seconds')).toBe(0);
    expect(sampleValue(after, 'payments', { provider: 'STRIPE', status: 'SUCCEEDED' })).toBe(1);
    expect(sampleValue(after, 'payments', { provider: 'STRIPE', status: 'FAILED' })).toBe(1);
    expect(sampleValue(after, 'refunds', { provider: 'STRIPE', status: 'SUCCEEDED' })).toBe(1);
    expect(sampleValue(after, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    // No id ever becomes a label value.
    const ids = [paid.id, declined.id, 'evt_forged'];
    for (const s of after) for (const v of Object.values(s.labels)) for (const id of ids) expect(v).not.toContain(id);
    expect(after.every((s) => !Object.values(s.labels).some((v) => /ord_|pi_|evt_|[0-9a-f]{8}-[0-9a-f]{4}/.test(v)))).toBe(true);

    sub.stop();
    await client.dispose();
    await eventually(async () => sampleValue(await scrape(ts.url), 'graphql_subscriptions_open') === 0, 'the subscription to be uncounted');
  });

  it('counts a late payment refunded automatically', async () => {
    const order = await newOrder(ts);
    const threeDs = (await charge(ts, order.id, order.token, 'tok_threeDSecure2Required')).data!.chargeWithToken;
    expect((await gql<{ cancelOrder: { status: string } }>(ts.graphqlUrl, CANCEL, { id: order.id }, order.token)).data!.cancelOrder.status).toBe('CANCELED');
    await sandboxStripe(ts).paymentIntents.create({
      amount: 5000, currency: 'usd', confirm: true, payment_method: 'pm_card_visa',
      metadata: { orderId: order.id, paymentId: threeDs.order.payments[0].id }, return_url: 'http://localhost:3000/back',
    });
    await eventually(async () => grew(await scrape(ts.url), 'late_payment_auto_refunds_total', { provider: 'STRIPE' }) === 1, 'the late payment refund to be counted');
  });
});

describe('where /metrics is served', () => {
  it('METRICS=off: no /metrics', async () => {
    const ts = await startTestService({ METRICS: 'off' });
    try {
      expect((await fetch(`${ts.url}/metrics`)).status).toBe(404);
    } finally {
      await ts.close();
    }
  });

  it('production: /metrics on the API port asks for the admin key', async () => {
    const ts = await startTestService({ NODE_ENV: 'production', PUBLIC_URL: 'https://pay.example.com', SANDBOX: 'off', LOG_LEVEL: 'silent' });
    try {
      const anonymous = await fetch(`${ts.url}/metrics`);
      expect(anonymous.status).toBe(401);
      expect(((await anonymous.json()) as { error: string }).error).toMatch(/ADMIN_API_KEY.*METRICS_PORT/);
      expect((await fetch(`${ts.url}/metrics`, { headers: { authorization: 'Bearer wrong-key-0123456789abcdef' } })).status).toBe(401);
      expect(sampleValue(await scrape(ts.url, ts.adminKey), 'process_cpu_seconds_total')).toBeGreaterThan(0);
    } finally {
      await ts.close();
    }
  });

  it('METRICS_PORT: served there without a key, and not on the API port', async () => {
    const port = await freePort();
    const ts = await startTestService({ NODE_ENV: 'production', PUBLIC_URL: 'https://pay.example.com', SANDBOX: 'off', LOG_LEVEL: 'silent', METRICS_PORT: String(port) });
    try {
      expect(ts.service.metricsPort).toBe(port);
      expect((await fetch(`${ts.url}/metrics`, { headers: { authorization: `Bearer ${ts.adminKey}` } })).status).toBe(404);
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(sampleValue(parseMetrics(await res.text()), 'webhook_inbox_events')).toBe(0);
    } finally {
      await ts.close();
    }
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
