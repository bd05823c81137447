import { context, trace } from '@opentelemetry/api';
import { ProviderError } from '../domain/errors';
import { recordProviderCall } from '../observability/metrics';
import { failSpan, SpanKind, startSpan } from '../observability/tracing';

/**
 * The adapter with every asynchronous method timed (and, when tracing, wrapped in a CLIENT span
 * that its SDK's HTTP calls run under): one place sees every call to Stripe and PayPal whatever
 * the flow. The operation label is the adapter's method name (a closed set); a failure or a
 * decline is labelled with the provider's error code when there is one.
 */
export function instrumentAdapter<T extends object>(provider: string, adapter: T): T {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      return function instrumented(this: unknown, ...args: unknown[]) {
        const self = this === receiver ? target : this;
        const started = process.hrtime.bigint();
        const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
        const span = startSpan(`${provider} ${property}`, { provider, 'provider.operation': property }, SpanKind.CLIENT);
        const result: unknown = span ? context.with(trace.setSpan(context.active(), span), () => value.apply(self, args)) : value.apply(self, args);
        if (!(result instanceof Promise)) {
          span?.end();
          return result;
        }
        return result.then(
          (answer: unknown) => {
            const declined = declineCode(answer);
            recordProviderCall(provider, property, seconds(), declined);
            if (span && declined) span.setAttribute('provider.error_code', declined);
            span?.end();
            return answer;
          },
          (error: unknown) => {
            recordProviderCall(provider, property, seconds(), errorCode(error));
            if (span) {
              failSpan(span, error);
              span.end();
            }
            throw error;
          },
        );
      };
    },
  });
}

/** A card decline comes back as an answer (the PaymentIntent is kept) but is the provider's refusal. */
function declineCode(answer: unknown): string | undefined {
  const decline = (answer as { decline?: { code?: string } } | null)?.decline;
  return decline ? (decline.code ?? 'declined') : undefined;
}

function errorCode(error: unknown): string {
  if (error instanceof ProviderError) return error.providerCode ?? (error.retryable ? 'unknown_outcome' : 'provider_error');
  return error instanceof Error ? error.name : 'error';
}
