import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process-wide Prometheus metrics (prom-client). Recording functions are called from a few
 * edges only: the HTTP middleware and the Apollo plugin, the webhook route and inbox applier, the
 * provider adapters' proxy, the subscription server and the late-payment refund. Every label value
 * comes from a closed set (routes, schema field names, error codes, statuses), never an id or a raw path.
 * Figures read from the database (inbox backlog, payments by status) belong to one running service:
 * see `serviceMetrics` in metrics.service.ts.
 */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by method, route and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: SECONDS_BUCKETS,
  registers: [processRegistry],
});
const graphqlDuration = new Histogram({
  name: 'graphql_operation_duration_seconds',
  help: 'GraphQL operations by type, root field and outcome (OK or the first error code)',
  labelNames: ['operation_type', 'operation', 'outcome'] as const,
  buckets: SECONDS_BUCKETS,
  registers: [processRegistry],
});
const webhookDeliveries = new Counter({
  name: 'webhook_deliveries_total',
  help: 'Provider webhook deliveries by provider and result (stored, duplicate, rejected, failed)',
  labelNames: ['provider', 'result'] as const,
  registers: [processRegistry],
});
const webhookApplied = new Counter({
  name: 'webhook_events_applied_total',
  help: 'Attempts of the inbox worker at stored events, by provider and resulting status (APPLIED, IGNORED, FAILED, DEAD)',
  labelNames: ['provider', 'status'] as const,
  registers: [processRegistry],
});
const applierRestarts = new Counter({
  name: 'webhook_applier_thread_restarts_total',
  help: 'Times the webhook inbox worker thread died and was started again (WEBHOOK_APPLIER=thread)',
  registers: [processRegistry],
});
const providerDuration = new Histogram({
  name: 'provider_call_duration_seconds',
  help: 'Calls to Stripe and PayPal by provider, operation and outcome (ok or error)',
  labelNames: ['provider', 'operation', 'outcome'] as const,
  buckets: SECONDS_BUCKETS,
  registers: [processRegistry],
});
const providerErrors = new Counter({
  name: 'provider_call_errors_total',
  help: 'Failed calls to Stripe and PayPal by provider, operation and provider error code',
  labelNames: ['provider', 'operation', 'code'] as const,
  registers: [processRegistry],
});
const lateRefunds = new Counter({
  name: 'late_payment_auto_refunds_total',
  help: 'Payments that succeeded on an order that could no longer take them, refunded automatically (LATE_PAYMENT_AUTO_REFUND)',
  labelNames: ['provider'] as const,
  registers: [processRegistry],
});

/** Counts of open subscriptions, one reader per subscription server. */
const subscriptionSources = new Set<() => number>();
new Gauge({
  name: 'graphql_subscriptions_open',
  help: 'GraphQL operations running on WebSocket connections (subscriptions)',
  registers: [processRegistry],
  collect() {
    let open = 0;
    for (const read of subscriptionSources) open += read();
    this.set(open);
  },
});

/** Error codes and operation names seen so far; past the cap a new value is counted as `other`. */
const MAX_VALUES_PER_LABEL = 64;
const seen = new Map<string, Set<string>>();
export function bounded(label: string, value: string | undefined | null): string {
  const clean = (value ?? '').replace(/[^A-Za-z0-9_.:-]/g, '').slice(0, 64) || 'none';
  let values = seen.get(label);
  if (!values) seen.set(label, (values = new Set()));
  if (values.has(clean)) return clean;
  if (values.size >= MAX_VALUES_PER_LABEL) return 'other';
  values.add(clean);
  return clean;
}

export function recordHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
  httpDuration.observe({ method: bounded('method', method), route, status_code: String(statusCode) }, seconds);
}

export function recordGraphqlOperation(operationType: string, operation: string, outcome: string, seconds: number): void {
  graphqlDuration.observe({ operation_type: operationType, operation: bounded('operation', operation), outcome: bounded('outcome', outcome) }, seconds);
}

export function recordWebhookDelivery(provider: string, result: 'stored' | 'duplicate' | 'rejected' | 'failed'): void {
  webhookDeliveries.inc({ provider: bounded('provider', provider), result });
}

/** A recording made on the inbox worker's thread, sent to the serving thread, whose registry is scraped. */
export type ForwardedRecording =
  | { name: 'webhookApplied'; args: [provider: string, status: string] }
  | { name: 'providerCall'; args: [provider: string, operation: string, seconds: number, errorCode?: string] }
  | { name: 'latePaymentRefund'; args: [provider: string] };

let forwarding: ((recording: ForwardedRecording) => void) | undefined;

/** On a thread other than the serving one: recordings go to `send` instead of this thread's registry. */
export function forwardRecordings(send: (recording: ForwardedRecording) => void): void {
  forwarding = send;
}

/** On the serving thread: records what another thread forwarded. */
export function recordForwarded(recording: ForwardedRecording): void {
  if (recording.name === 'webhookApplied') recordWebhookApplied(...recording.args);
  else if (recording.name === 'providerCall') recordProviderCall(...recording.args);
  else recordLatePaymentRefund(...recording.args);
}

export function recordWebhookApplied(provider: string, status: string): void {
  if (forwarding) return forwarding({ name: 'webhookApplied', args: [provider, status] });
  webhookApplied.inc({ provider: bounded('provider', provider), status });
}

export function recordApplierThreadRestart(): void {
  applierRestarts.inc();
}

export function recordProviderCall(provider: string, operation: string, seconds: number, errorCode?: string): void {
  if (forwarding) return forwarding({ name: 'providerCall', args: [provider, operation, seconds, errorCode] });
  const labels = { provider: bounded('provider', provider), operation: bounded('provider_operation', operation) };
  providerDuration.observe({ ...labels, outcome: errorCode === undefined ? 'ok' : 'error' }, seconds);
  if (errorCode !== undefined) providerErrors.inc({ ...labels, code: bounded('provider_code', errorCode) });
}

export function recordLatePaymentRefund(provider: string): void {
  if (forwarding) return forwarding({ name: 'latePaymentRefund', args: [provider] });
  lateRefunds.inc({ provider: bounded('provider', provider) });
}

/** A subscription server registers how many operations it runs; the returned function unregisters it. */
export function trackSubscriptions(read: () => number): () => void {
  subscriptionSources.add(read);
  return () => subscriptionSources.delete(read);
}
