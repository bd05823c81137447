import { PayPalApiError, unsupported } from './paypal.errors';
import { readMoney, type Problems } from './paypal.amount.validation';

type Json = Record<string, unknown>;

/** A validated `capture_request` of an authorization; `amountMinor` undefined = the rest of the authorized amount. */
export interface AuthorizationCaptureInput {
  amountMinor?: bigint;
  /** Spec default false: more captures may follow. */
  finalCapture: boolean;
  invoiceId?: string;
  noteToPayer?: string;
}

function optionalText(src: Json, key: string, max: number, schema: Problems['schema']): string | undefined {
  const value = src[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length < 1 || value.length > max) {
    schema.push({ field: `/${key}`, value: String(value), location: 'body', issue: 'INVALID_STRING_LENGTH', description: `The value of a field is either too short or too long (1–${max}).` });
    return undefined;
  }
  return value;
}

/**
 * Validates `POST /v2/payments/authorizations/{id}/capture` against the authorization's currency,
 * with the issues of the Payments v2 spec (400 schema, 422 AUTH_CAPTURE_CURRENCY_MISMATCH /
 * CANNOT_BE_ZERO_OR_NEGATIVE / DECIMAL_PRECISION). An empty body captures everything left.
 */
export function parseAuthorizationCapture(body: unknown, currency: string): AuthorizationCaptureInput {
  if (body === undefined || body === null || body === '') return { finalCapture: false };
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new PayPalApiError(400, [{ issue: 'MALFORMED_REQUEST_JSON', location: 'body', description: 'The request JSON is not well formed.' }], 'payments');
  }
  const src = body as Json;
  if (src.payment_instruction !== undefined) throw unsupported('payments', '/payment_instruction', 'payment_instruction (platform fees) on captures');
  const problems: Problems = { schema: [], business: [] };
  if (src.final_capture !== undefined && typeof src.final_capture !== 'boolean') {
    problems.schema.push({ field: '/final_capture', value: String(src.final_capture), location: 'body', issue: 'INVALID_PARAMETER_SYNTAX', description: 'The value of a field does not conform to the expected format (a boolean).' });
  }
  const out: AuthorizationCaptureInput = {
    finalCapture: src.final_capture === true,
    invoiceId: optionalText(src, 'invoice_id', 127, problems.schema),
    noteToPayer: optionalText(src, 'note_to_payer', 255, problems.schema),
  };
  if (src.amount !== undefined) {
    const raw = src.amount as Json;
    if (typeof raw === 'object' && raw !== null && typeof raw.currency_code === 'string' && raw.currency_code !== currency) {
      problems.business.push({ field: '/amount/currency_code', value: raw.currency_code, location: 'body', issue: 'AUTH_CAPTURE_CURRENCY_MISMATCH', description: 'Currency of capture must be the same as currency of authorization.' });
    } else {
      const amount = readMoney(src.amount, '/amount', '/amount', currency, problems);
      if (amount && amount.minor <= 0n) {
        problems.business.push({ field: '/amount/value', value: amount.canonical.value, location: 'body', issue: 'CANNOT_BE_ZERO_OR_NEGATIVE', description: 'Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.' });
      }
      out.amountMinor = amount?.minor;
    }
  }
  if (problems.schema.length > 0) throw new PayPalApiError(400, problems.schema, 'payments');
  if (problems.business.length > 0) throw new PayPalApiError(422, problems.business, 'payments');
  return out;
}
