import { PayPalApiError, unsupported, type ErrorDetail } from './paypal.errors';
import { readAmountIn, type Problems } from './paypal.amount.validation';

type Json = Record<string, unknown>;

/** A validated refund request; `amountMinor` undefined means "everything left". */
export interface RefundInput {
  amountMinor?: bigint;
  invoiceId?: string;
  customId?: string;
  noteToPayer?: string;
}

function text(body: Json, key: string, max: number, pattern: RegExp | undefined, schema: ErrorDetail[]): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || (pattern && !pattern.test(value))) {
    schema.push({ field: `/${key}`, value: String(value), location: 'body', issue: 'INVALID_PARAMETER_SYNTAX', description: 'The value of a field does not conform to the expected format.' });
    return undefined;
  }
  if (value.length < 1 || value.length > max) {
    schema.push({ field: `/${key}`, value, location: 'body', issue: 'INVALID_STRING_LENGTH', description: `The value of a field is either too short or too long (1–${max}).` });
  }
  return value;
}

/**
 * Validates a `refund_request` body (all fields optional; empty body =
 * full refund) against the capture's currency, with PayPal's issues.
 */
export function parseRefund(body: unknown, captureCurrency: string): RefundInput {
  if (body === undefined || body === null || (typeof body === 'string' && body === '')) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new PayPalApiError(400, [{ issue: 'MALFORMED_REQUEST_JSON', location: 'body', description: 'The request JSON is not well formed.' }], 'payments');
  }
  const src = body as Json;
  if (src.payment_instruction !== undefined) throw unsupported('payments', '/payment_instruction', 'payment_instruction (platform fees) on refunds');
  const problems: Problems = { schema: [], business: [] };
  const out: RefundInput = {
    invoiceId: text(src, 'invoice_id', 127, undefined, problems.schema),
    customId: text(src, 'custom_id', 127, /^[A-Za-z0-9-_.,]*$/, problems.schema),
    noteToPayer: text(src, 'note_to_payer', 255, undefined, problems.schema),
  };
  if (src.amount !== undefined) {
    out.amountMinor = readAmountIn(src.amount, captureCurrency, problems, {
      mismatch: 'REFUND_CAPTURE_CURRENCY_MISMATCH', mismatchDescription: 'Refund must be in the same currency as the capture', zeroDescription: 'Must be greater than zero.',
    });
  }
  if (problems.schema.length > 0) throw new PayPalApiError(400, problems.schema, 'payments');
  if (problems.business.length > 0) throw new PayPalApiError(422, problems.business, 'payments');
  return out;
}
