import { Counter, Histogram } from 'prom-client';
import { processRegistry } from './metrics';

const outboundAttempts = new Counter({
  name: 'outbound_webhook_attempts_total',
  help: 'Outbound webhook attempts to merchant endpoints by result (delivered, retry, failed, refused: a private address in production)',
  labelNames: ['result'] as const,
  registers: [processRegistry],
});
const outboundDuration = new Histogram({
  name: 'outbound_webhook_attempt_duration_seconds',
  help: 'Outbound webhook attempts by result, from connecting to the end of the answer',
  labelNames: ['result'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [processRegistry],
});

export type OutboundResult = 'delivered' | 'retry' | 'failed' | 'refused';

export function recordOutboundAttempt(result: OutboundResult, seconds: number): void {
  outboundAttempts.inc({ result });
  outboundDuration.observe({ result }, seconds);
}
