import { createHash } from 'node:crypto';
import type { Decline, TestCard } from './stripe.cards';
import { nowSeconds, stripeId } from './stripe.ids';
import type { ChargeRecord, PaymentMethodRecord } from './stripe.store';

/** Expiry used for cards that arrive as `pm_card_*`/`tok_*` aliases (any future date is valid). */
const ALIAS_EXPIRY = { month: 12, year: new Date().getFullYear() + 3 };
const LEGACY_BRAND = { visa: 'Visa', mastercard: 'MasterCard', amex: 'American Express' } as const;
const nullAddress = { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };

function fingerprint(card: TestCard): string {
  return createHash('sha256').update(card.number).digest('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 16);
}

/** Card details as they appear inside PaymentMethods and charges. */
function cardDetails(card: TestCard, exp = ALIAS_EXPIRY) {
  return {
    brand: card.brand,
    country: 'US',
    exp_month: exp.month,
    exp_year: exp.year,
    fingerprint: fingerprint(card),
    funding: card.funding,
    last4: card.number.slice(-4),
  };
}

/** A new `pm_…` card PaymentMethod for a test card. */
export function paymentMethodObject(card: TestCard, email: string | null = null, exp = ALIAS_EXPIRY): PaymentMethodRecord {
  const obj = {
    id: stripeId('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: nullAddress, email, name: null, phone: null },
    card: {
      ...cardDetails(card, exp),
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      display_brand: card.brand,
      generated_from: null,
      networks: { available: [card.brand], preferred: null },
      three_d_secure_usage: { supported: card.brand !== 'amex' },
      wallet: null,
    },
    created: nowSeconds(),
    customer: null,
    livemode: false,
    metadata: {},
    type: 'card',
  };
  return { obj, card };
}

/** The legacy `card` source object a token charge carries in `source`. */
export function legacyCardSource(pm: PaymentMethodRecord) {
  const c = cardDetails(pm.card);
  return {
    id: stripeId('card'),
    object: 'card',
    address_city: null, address_country: null, address_line1: null, address_line1_check: null, address_line2: null, address_state: null, address_zip: null, address_zip_check: null,
    brand: LEGACY_BRAND[pm.card.brand],
    country: c.country,
    customer: null,
    cvc_check: 'pass',
    dynamic_last4: null,
    exp_month: c.exp_month,
    exp_year: c.exp_year,
    fingerprint: c.fingerprint,
    funding: c.funding,
    last4: c.last4,
    metadata: {},
    name: null,
    tokenization_method: null,
  };
}

/** Inputs of a charge attempt. */
export interface ChargeInput {
  amount: number;
  currency: string;
  pm: PaymentMethodRecord;
  paymentIntent: string | null;
  description: string | null;
  metadata: Record<string, string>;
  receiptEmail: string | null;
  decline?: Decline;
  authenticated: boolean;
}

function outcome(decline?: Decline) {
  if (!decline) return { network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: 32, seller_message: 'Payment complete.', type: 'authorized' };
  if (decline.blocked) return { network_status: 'not_sent_to_network', reason: 'highest_risk_level', risk_level: 'highest', risk_score: 95, seller_message: 'Stripe blocked this payment as too risky.', type: 'blocked' };
  return { network_status: 'declined_by_network', reason: decline.declineCode, risk_level: 'normal', risk_score: 40, seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' };
}

/** A `ch_…` Charge, succeeded or failed. */
export function chargeObject(input: ChargeInput): ChargeRecord {
  const { amount, currency, pm, decline } = input;
  const id = stripeId('ch');
  const obj = {
    id, object: 'charge', amount, amount_captured: decline ? 0 : amount, amount_refunded: 0,
    application: null, application_fee: null, application_fee_amount: null,
    balance_transaction: decline ? null : stripeId('txn'),
    billing_details: pm.obj.billing_details,
    calculated_statement_descriptor: 'SANDBOX', captured: !decline, created: nowSeconds(), currency, customer: null,
    description: input.description, disputed: false, failure_balance_transaction: null,
    failure_code: decline?.code ?? null, failure_message: decline?.message ?? null, fraud_details: {}, invoice: null,
    livemode: false, metadata: input.metadata, on_behalf_of: null, outcome: outcome(decline), paid: !decline,
    payment_intent: input.paymentIntent, payment_method: pm.obj.id,
    payment_method_details: {
      card: {
        ...cardDetails(pm.card),
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        installments: null, mandate: null, network: pm.card.brand, network_token: { used: false },
        three_d_secure: input.authenticated ? { authentication_flow: 'challenge', result: 'authenticated', result_reason: null, version: '2.2.0' } : null,
        wallet: null,
      },
      type: 'card',
    },
    receipt_email: input.receiptEmail, receipt_number: null, receipt_url: decline ? null : `https://pay.stripe.com/receipts/sandbox/${id}`,
    refunded: false, refunds: { object: 'list', data: [], has_more: false, total_count: 0, url: `/v1/charges/${id}/refunds` },
    review: null, shipping: null, source_transfer: null, statement_descriptor: null, statement_descriptor_suffix: null,
    status: decline ? 'failed' : 'succeeded', transfer_data: null, transfer_group: null,
  };
  return { obj, card: pm.card };
}
