import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { createLogger } from '../../src/logging/logger';
import { startTracing, type Tracing } from '../../src/observability/tracing';
import { captureLogs, eventually, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { CHECKOUT, newOrder, payOnHostedPage } from './stripe.e2e-helpers';
import { gql } from '../helpers/service.helpers';

/** One Stripe Checkout traced end to end into an in-memory exporter, as OTLP would receive it. */
describe('OpenTelemetry traces of a checkout', () => {
  const exporter = new InMemorySpanExporter();
  const logs = captureLogs();
  let tracing: Tracing;
  let ts: TestService;

  beforeAll(async () => {
    tracing = await startTracing('otlp', exporter);
    // The in-memory exporter is this thread's: the inbox worker applies here too, so its batch spans reach it.
    ts = await startTestService({ SANDBOX: 'on', WEBHOOK_APPLIER: 'inline' }, {}, { logger: createLogger('info', logs.stream) });
  });

  afterAll(async () => {
    await ts.close();
    await tracing.shutdown();
  });

  const spans = () => exporter.getFinishedSpans();
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  const named = (name: string | RegExp) => spans().filter((s) => (typeof name === 'string' ? s.name === name : name.test(s.name)));

  it('spans the GraphQL operation, its SQL and provider calls, and the webhook (verify, append, apply); logs carry the trace id', async () => {
    const order = await newOrder(ts);
    const session = await gql(ts.graphqlUrl, CHECKOUT, {
      input: { orderId: order.id, successUrl: 'http://localhost:3000/ok', cancelUrl: 'http://localhost:3000/cancel' },
    }, order.token);
    expect(session.errors).toBeUndefined();
    expect((await payOnHostedPage(session.data!.createCheckoutSession.url)).status).toBe(303);
    await eventually(async () => named('webhook.apply').length > 0 && true, 'the webhook to be applied');
    await webhooksSettled(ts);

    const [operation] = named('mutation createCheckoutSession');
    expect(operation).toBeDefined();
    expect(operation.attributes).toMatchObject({ 'graphql.operation.type': 'mutation', 'http.route': '/graphql', 'http.response.status_code': 200 });
    const inOperation = spans().filter((s) => s.spanContext().traceId === operation.spanContext().traceId);
    const sql = inOperation.filter((s) => s.attributes['db.system'] === 'sqlite');
    expect(sql.length).toBeGreaterThan(0);
    expect(sql.every((s) => !String(s.attributes['db.query.text']).includes(order.id))).toBe(true);
    const stripeCall = inOperation.find((s) => s.name === 'STRIPE createCheckoutSession');
    expect(stripeCall).toBeDefined();
    expect(parentOf(stripeCall!)).toBe(operation.spanContext().spanId);

    const [delivery] = named('POST /webhooks/stripe');
    expect(delivery).toBeDefined();
    const verify = named('webhook.verify').find((s) => parentOf(s) === delivery.spanContext().spanId);
    const append = named('webhook.append').find((s) => parentOf(s) === delivery.spanContext().spanId);
    expect(verify?.attributes).toMatchObject({ provider: 'STRIPE' });
    expect(append?.attributes).toMatchObject({ provider: 'STRIPE', 'webhook.type': expect.any(String) });
    // The worker applies events in batches: one span per batch, listing the event types it applied.
    const apply = named('webhook.apply').find((s) => (s.attributes['webhook.types'] as string[] | undefined)?.includes('checkout.session.completed'));
    expect(apply).toBeDefined();
    const applySql = spans().filter((s) => parentOf(s) === apply!.spanContext().spanId && s.attributes['db.system'] === 'sqlite');
    expect(applySql.length).toBeGreaterThan(0);

    // Every log line of the traced request carries its trace id.
    const requestLines = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request' && l.path === '/graphql');
    expect(requestLines.length).toBeGreaterThan(0);
    expect(requestLines.every((l) => /^[0-9a-f]{32}$/.test(l.traceId))).toBe(true);
    expect(requestLines.map((l) => l.traceId)).toContain(operation.spanContext().traceId);
  });
});

describe('without OTEL_* variables', () => {
  it('nothing is traced and log lines carry no trace id', async () => {
    const logs = captureLogs();
    const ts = await startTestService({}, {}, { logger: createLogger('info', logs.stream) });
    try {
      const order = await newOrder(ts);
      expect(order.id).toBeDefined();
      const lines = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.some((l) => 'traceId' in l)).toBe(false);
    } finally {
      await ts.close();
    }
  });
});
