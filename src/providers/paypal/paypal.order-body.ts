import type { CaptureOutcome, PayPalOrderRequest } from '../../domain/providers/paypal-gateway';
import { ProviderError } from '../../domain/errors';
import { toPayPalValue } from './paypal.money';

/** Capture refusals that mean "this payment attempt failed" (the buyer may start again), per Orders v2. */
const CAPTURE_DECLINES: ReadonlySet<string> = new Set([
  'INSTRUMENT_DECLINED', 'TRANSACTION_REFUSED', 'PAYER_CANNOT_PAY', 'PAYER_ACCOUNT_LOCKED_OR_CLOSED', 'PAYEE_BLOCKED_TRANSACTION',
  'TRANSACTION_LIMIT_EXCEEDED', 'TRANSACTION_RECEIVING_LIMIT_EXCEEDED', 'TRANSACTION_BLOCKED_BY_PAYEE', 'COMPLIANCE_VIOLATION',
  'MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED', 'REDIRECT_PAYER_FOR_ALTERNATE_FUNDING',
]);

/** Capture refusals that mean the buyer has not approved the order yet. */
const NOT_APPROVED: ReadonlySet<string> = new Set(['ORDER_NOT_APPROVED', 'PAYER_ACTION_REQUIRED']);

/** Orders v2 create body: intent CAPTURE (AUTHORIZE for a manual capture), one purchase unit built from our order, our ids as references. */
export function orderCreateBody(input: PayPalOrderRequest) {
  const money = (minor: number) => ({ currency_code: input.currency, value: toPayPalValue(minor, input.currency) });
  const itemTotal = input.items.reduce((sum, i) => sum + i.unitAmount * i.quantity, 0);
  return {
    intent: input.captureMethod === 'manual' ? 'AUTHORIZE' : 'CAPTURE',
    purchase_units: [{
      reference_id: input.orderId,
      custom_id: input.paymentId,
      invoice_id: input.orderId,
      description: `Order ${input.orderId}`,
      amount: { ...money(input.amount), breakdown: { item_total: money(itemTotal) } },
      items: input.items.map((i) => ({
        name: i.name.slice(0, 127), sku: i.sku.slice(0, 127), quantity: String(i.quantity), unit_amount: money(i.unitAmount),
      })),
    }],
    payment_source: {
      paypal: { experience_context: { return_url: input.returnUrl, cancel_url: input.cancelUrl, user_action: 'PAY_NOW', shipping_preference: 'NO_SHIPPING' } },
    },
  };
}

/**
 * A refused capture or authorize of an order, sorted: not approved yet is a clear PROVIDER_ERROR,
 * a decline of the buyer's funding is an answer (the facts say FAILED, `declined` set), anything
 * else is thrown as it came.
 */
export function declinedOrThrow(error: unknown, paypalOrderId: string): CaptureOutcome {
  const issue = error instanceof ProviderError ? error.providerCode : undefined;
  if (issue && NOT_APPROVED.has(issue)) {
    throw new ProviderError('The buyer has not approved this PayPal order yet: send them to its approveUrl first', 'PAYPAL', issue);
  }
  if (issue && CAPTURE_DECLINES.has(issue) && error instanceof ProviderError) {
    return { actions: [{ kind: 'payment_failed', ref: { providerPaymentId: paypalOrderId }, code: issue, message: error.message }], declined: error };
  }
  throw error;
}
