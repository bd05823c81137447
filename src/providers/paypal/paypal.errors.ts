import { retryAfterMs } from '../retry-after';
import { ProviderError } from '../../domain/errors';
import { isOutcomeUnknown } from './paypal.client';
import { errorMessage, isSdkHttpError } from './paypal.sdk';

/** PayPal's REST error body (`error` schema), or the OAuth `{error, error_description}` shape. */
interface PayPalErrorBody {
  name?: string;
  message?: string;
  debug_id?: string;
  details?: { issue?: string; description?: string; field?: string }[];
  error?: string;
  error_description?: string;
}

function parseBody(text: string): PayPalErrorBody {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as PayPalErrorBody) : {};
  } catch {
    return {};
  }
}

/**
 * Any failure of an SDK call → ProviderError. `providerCode` is PayPal's most specific code
 * (`details[0].issue`, else `name`); network errors, timeouts and 5xx are `retryable` (outcome
 * unknown). The debug id is kept in the message: it is what PayPal support asks for.
 */
export function toProviderError(error: unknown, what: string): ProviderError {
  if (error instanceof ProviderError) return error;
  if (!isSdkHttpError(error)) {
    const reason = errorMessage(error);
    return new ProviderError(`PayPal did not answer ${what} (${reason}); the outcome is unknown, retry later`, 'PAYPAL', 'NETWORK_ERROR', true);
  }
  const body = parseBody(error.message);
  const detail = body.details?.[0];
  const code = detail?.issue ?? body.name ?? body.error ?? `HTTP_${error.statusCode}`;
  const text = detail?.description ?? body.message ?? body.error_description ?? `HTTP ${error.statusCode}`;
  const debug = body.debug_id ? ` (PayPal debug id ${body.debug_id})` : '';
  return new ProviderError(`PayPal refused ${what}: ${text.trim()}${debug}`, 'PAYPAL', code, isOutcomeUnknown(error), retryAfterMs(error.headers));
}
