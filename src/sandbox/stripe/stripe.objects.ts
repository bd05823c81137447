import type { Decline } from './stripe.cards';
import { base62, nowSeconds, stripeId } from './stripe.ids';
import type { ChargeRecord, PaymentIntentRecord, RefundObject, StripeObject } from './stripe.store';

/** Inputs of a new PaymentIntent. */
export interface PaymentIntentInput {
  amount: number;
  currency: string;
  description: string | null;
  metadata: Record<string, string>;
  receiptEmail: string | null;
  paymentMethodTypes: string[];
  automaticPaymentMethods: { enabled: boolean; allow_redirects?: string } | null;
}

/** A new `pi_…` PaymentIntent in `requires_payment_method`. */
export function paymentIntentObject(input: PaymentIntentInput): PaymentIntentRecord['obj'] {
  const id = stripeId('pi');
  return {
    id, object: 'payment_intent', amount: input.amount, amount_capturable: 0, amount_details: { tip: {} }, amount_received: 0,
    application: null, application_fee_amount: null, automatic_payment_methods: input.automaticPaymentMethods,
    canceled_at: null, cancellation_reason: null, capture_method: 'automatic', client_secret: `${id}_secret_${base62(25)}`,
    confirmation_method: 'automatic', created: nowSeconds(), currency: input.currency, customer: null, description: input.description,
    invoice: null, last_payment_error: null, latest_charge: null, livemode: false, metadata: input.metadata, next_action: null,
    on_behalf_of: null, payment_method: null, payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: input.paymentMethodTypes, processing: null, receipt_email: input.receiptEmail, review: null,
    setup_future_usage: null, shipping: null, source: null, statement_descriptor: null, statement_descriptor_suffix: null,
    status: 'requires_payment_method', transfer_data: null, transfer_group: null,
  };
}

/** Stripe's `last_payment_error` / error body for a declined card. */
export function cardErrorFields(decline: Decline, chargeId: string | undefined, pm: StripeObject | undefined) {
  return {
    code: decline.code,
    decline_code: decline.declineCode,
    doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`,
    message: decline.message,
    ...(decline.code === 'incorrect_cvc' ? { param: 'cvc' } : decline.code === 'expired_card' ? { param: 'exp_month' } : {}),
    ...(chargeId ? { charge: chargeId } : {}),
    ...(pm ? { payment_method: pm } : {}),
    type: 'card_error',
  };
}

/** A `re_…` Refund. */
export function refundObject(charge: ChargeRecord, amount: number, reason: string | null, metadata: Record<string, string>): RefundObject {
  return {
    id: stripeId('re'), object: 'refund', amount, balance_transaction: stripeId('txn'), charge: charge.obj.id, created: nowSeconds(),
    currency: charge.obj.currency, destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata, payment_intent: charge.obj.payment_intent, reason, receipt_number: null, source_transfer_reversal: null,
    status: 'succeeded', transfer_reversal: null,
  };
}

/** A `dp_…` Dispute on a charge (inquiries start as `warning_needs_response`). */
export function disputeObject(charge: ChargeRecord, reason: string, amount: number, inquiry: boolean): StripeObject {
  const nulls = Object.fromEntries(
    ['access_activity_log', 'billing_address', 'cancellation_policy', 'cancellation_policy_disclosure', 'cancellation_rebuttal', 'customer_communication',
      'customer_email_address', 'customer_name', 'customer_purchase_ip', 'customer_signature', 'duplicate_charge_documentation', 'duplicate_charge_explanation',
      'duplicate_charge_id', 'product_description', 'receipt', 'refund_policy', 'refund_policy_disclosure', 'refund_refusal_explanation', 'service_date',
      'service_documentation', 'shipping_address', 'shipping_carrier', 'shipping_date', 'shipping_documentation', 'shipping_tracking_number',
      'uncategorized_file', 'uncategorized_text'].map((k) => [k, null]),
  );
  return {
    id: stripeId('dp'), object: 'dispute', amount, balance_transactions: [], charge: charge.obj.id, created: nowSeconds(), currency: charge.obj.currency,
    evidence: nulls, evidence_details: { due_by: nowSeconds() + 7 * 86400, has_evidence: false, past_due: false, submission_count: 0 },
    is_charge_refundable: inquiry, livemode: false, metadata: {}, payment_intent: charge.obj.payment_intent,
    payment_method_details: { card: { brand: charge.card.brand, case_type: inquiry ? 'inquiry' : 'chargeback', network_reason_code: reason === 'fraudulent' ? '10.4' : '13.1' }, type: 'card' },
    reason, status: inquiry ? 'warning_needs_response' : 'needs_response',
  };
}

/** Deep copy: served and event-embedded objects must not change when state does. */
export function snapshot<T>(obj: T): T {
  return JSON.parse(JSON.stringify(obj)) as T;
}
