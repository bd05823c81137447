import type { Request } from 'express';
import { PayPalApiError, unsupported, type ApiFamily, type ErrorLink } from './paypal.errors';

/** Which call a `PayPal-Mock-Response` header is applied to. */
export type MockedCall = 'create' | 'capture' | 'refund';

/** Negative-testing codes per call, with PayPal's documented descriptions (Orders v2 / Payments v2 specs). */
const CODES: Record<MockedCall, Record<string, string>> = {
  create: {
    CURRENCY_NOT_SUPPORTED: 'Currency code is not currently supported.',
    DECIMAL_PRECISION: 'If the currency supports decimals, only two decimal place precision is supported.',
    ITEM_TOTAL_MISMATCH: 'Should equal sum of (unit_amount * quantity) across all items for a given purchase_unit.',
    AMOUNT_MISMATCH: 'Should equal item_total + tax_total + shipping + handling + insurance - shipping_discount - discount.',
    DUPLICATE_INVOICE_ID: 'Duplicate Invoice ID detected. To avoid a potential duplicate transaction your account setting requires that Invoice Id be unique for each transaction.',
    PAYEE_ACCOUNT_RESTRICTED: 'The merchant account is restricted.',
    PAYEE_ACCOUNT_LOCKED_OR_CLOSED: 'The merchant account is locked or closed.',
    TRANSACTION_REFUSED: 'The request was refused.',
  },
  capture: {
    INSTRUMENT_DECLINED: "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
    TRANSACTION_REFUSED: 'The request was refused.',
    ORDER_NOT_APPROVED: "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.",
    ORDER_ALREADY_CAPTURED: "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
    MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED: 'You have exceeded the maximum number of payment attempts.',
    PAYER_CANNOT_PAY: 'Payer cannot pay for this transaction. Please contact the payer to find other ways to pay for this transaction.',
    PAYER_ACCOUNT_LOCKED_OR_CLOSED: 'The payer account cannot be used for this transaction.',
    PAYEE_BLOCKED_TRANSACTION: 'The Fraud settings for this seller are such that this payment cannot be executed.',
    TRANSACTION_LIMIT_EXCEEDED: 'Total payment amount exceeded transaction limit.',
    TRANSACTION_RECEIVING_LIMIT_EXCEEDED: "The transaction exceeds the receiver's receiving limit.",
    TRANSACTION_BLOCKED_BY_PAYEE: 'Transaction blocked by Payee’s Fraud Protection settings.',
    DUPLICATE_INVOICE_ID: 'Duplicate Invoice ID detected. To avoid a potential duplicate transaction your account setting requires that Invoice Id be unique for each transaction.',
    COMPLIANCE_VIOLATION: 'Transaction is declined due to compliance violation.',
    REDIRECT_PAYER_FOR_ALTERNATE_FUNDING: 'Transaction failed. Redirect the payer to select another funding source.',
    PAYER_ACTION_REQUIRED: 'Transaction cannot complete successfully, instruct the buyer to return to PayPal.',
  },
  refund: {
    REFUND_NOT_ALLOWED: 'Capture cannot be refunded.',
    REFUND_TIME_LIMIT_EXCEEDED: 'You are over the time limit to perform a refund on this capture',
    REFUND_FAILED_INSUFFICIENT_FUNDS: 'Capture could not be refunded due to insufficient funds.',
    TRANSACTION_DISPUTED: 'Partial refunds cannot be offered at this time because there is an open case on this transaction.',
    MAX_NUMBER_OF_REFUNDS_EXCEEDED: 'You have exceeded the maximum number of refund attempts for this capture.',
    PARTIAL_REFUND_NOT_ALLOWED: 'You cannot do a refund less than the original capture amount.',
    CAPTURE_FULLY_REFUNDED: 'The capture has already been fully refunded',
    REFUND_AMOUNT_EXCEEDED: 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
    PENDING_CAPTURE: 'Cannot initiate a refund as the capture is pending.',
    DUPLICATE_INVOICE_ID: 'Invoice ID was previously used to refund a capture.',
  },
};

/** Codes where PayPal sends the buyer back to pick another instrument (`redirect` link). */
const REDIRECTING = new Set(['INSTRUMENT_DECLINED', 'REDIRECT_PAYER_FOR_ALTERNATE_FUNDING', 'PAYER_ACTION_REQUIRED']);

/** Reads `PayPal-Mock-Response: {"mock_application_codes":"…"}`; undefined when absent. */
export function mockCodeFromHeader(req: Request, family: ApiFamily): string | undefined {
  const raw = req.header('PayPal-Mock-Response');
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(raw) as { mock_application_codes?: unknown };
    if (typeof parsed.mock_application_codes === 'string') return parsed.mock_application_codes;
  } catch {
    // fall through to the refusal below
  }
  throw unsupported(family, 'PayPal-Mock-Response', 'A PayPal-Mock-Response header without a string `mock_application_codes`');
}

/** True when the code is one the sandbox can simulate for that call. */
export function isKnownMockCode(call: MockedCall, code: string): boolean {
  return code === 'INTERNAL_SERVER_ERROR' || code in CODES[call];
}

/**
 * The error PayPal's sandbox answers for a negative-testing code.
 * `redirectHref` is the approval page, linked as `rel: redirect` where the
 * buyer has to choose another funding source.
 */
export function mockError(call: MockedCall, code: string, family: ApiFamily, redirectHref?: string): PayPalApiError {
  if (code === 'INTERNAL_SERVER_ERROR') return new PayPalApiError(500, [], family);
  const description = CODES[call][code];
  if (description === undefined) {
    throw unsupported(family, 'PayPal-Mock-Response', `mock_application_codes=${code} on ${call}`);
  }
  const links: ErrorLink[] = redirectHref && REDIRECTING.has(code) ? [{ href: redirectHref, rel: 'redirect', method: 'GET' }] : [];
  return new PayPalApiError(422, [{ issue: code, description }], family, links);
}
