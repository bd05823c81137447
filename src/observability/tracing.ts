import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry tracing, started by main.ts only when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * _TRACES_ENDPOINT) or OTEL_TRACES_EXPORTER is set (config.tracing). Off, the SDK is never loaded and `withSpan` calls its work directly,
 * so untraced runs pay one boolean test per span site.
 */
let active = false;

const tracer = () => trace.getTracer('payments-api');

export interface Tracing {
  shutdown(): Promise<void>;
}

/**
 * Registers a tracer provider for the process. `exporter` is a test hook (an in-memory exporter,
 * exported span by span); otherwise the OTLP/HTTP exporter reads the standard OTEL_* variables.
 */
export async function startTracing(kind: 'otlp' | 'console', exporter?: SpanExporter): Promise<Tracing> {
  // Loaded here, not imported at the top: an untraced process never loads the SDK.
  const sdk = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { defaultResource, resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  let processor;
  if (exporter) processor = new sdk.SimpleSpanProcessor(exporter);
  else if (kind === 'console') processor = new sdk.SimpleSpanProcessor(new sdk.ConsoleSpanExporter());
  else processor = new sdk.BatchSpanProcessor(new (require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter());
  const provider = new sdk.NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || 'payments-api' })),
    spanProcessors: [processor],
  });
  provider.register();
  active = true;
  return {
    async shutdown() {
      active = false;
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

export function tracingActive(): boolean {
  return active;
}

/**
 * Runs `work` inside a span (ended when it settles; a throw marks it as an error). Untraced, it is
 * `work()` itself, not wrapped in one more promise (the webhook ingest path runs two per delivery).
 */
export function withSpan<T>(name: string, attributes: Attributes, work: () => T | Promise<T>, kind: SpanKind = SpanKind.INTERNAL): T | Promise<T> {
  if (!active) return work();
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Starts a span that is not made active (its end is decided by events, e.g. a database query's answer). */
export function startSpan(name: string, attributes: Attributes, kind: SpanKind = SpanKind.INTERNAL): Span | undefined {
  return active ? tracer().startSpan(name, { kind, attributes }) : undefined;
}

export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message.split('\n')[0] : String(error) });
}

/** The active span's trace and span ids, for log lines (empty when not tracing). */
export function traceFields(): { traceId?: string; spanId?: string } {
  if (!active) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

export { SpanKind };
