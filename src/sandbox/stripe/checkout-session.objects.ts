import { nowSeconds, stripeId } from './stripe.ids';
import type { SessionRecord, StripeObject } from './stripe.store';

/** One `line_items[]` entry as the create call accepted it (`price_data` form). */
export interface LineItemInput {
  currency: string;
  unitAmount: number;
  quantity: number;
  name: string;
  description: string | null;
}

/** Everything a new Checkout Session is made of. */
export interface SessionInput {
  items: LineItemInput[];
  successUrl: string;
  cancelUrl: string | null;
  clientReferenceId: string | null;
  customerEmail: string | null;
  metadata: Record<string, string>;
  expiresAt: number;
  paymentMethodTypes: string[];
  paymentIntentData: { metadata: Record<string, string>; description: string | null; captureMethod?: string };
  baseUrl: string;
}

function lineItem(i: LineItemInput): StripeObject {
  const total = i.unitAmount * i.quantity;
  return {
    id: stripeId('li'), object: 'item', amount_discount: 0, amount_subtotal: total, amount_tax: 0, amount_total: total,
    currency: i.currency, description: i.name,
    price: {
      id: stripeId('price'), object: 'price', active: false, billing_scheme: 'per_unit', created: nowSeconds(), currency: i.currency,
      custom_unit_amount: null, livemode: false, lookup_key: null, metadata: {}, nickname: null, product: stripeId('prod'), recurring: null,
      tax_behavior: 'unspecified', tiers_mode: null, transform_quantity: null, type: 'one_time', unit_amount: i.unitAmount, unit_amount_decimal: String(i.unitAmount),
    },
    quantity: i.quantity,
  };
}

/** A new open `cs_test_…` session in `payment` mode; its PaymentIntent is created when the customer pays. */
export function sessionRecord(input: SessionInput): SessionRecord {
  const id = stripeId('cs_test');
  const total = input.items.reduce((sum, i) => sum + i.unitAmount * i.quantity, 0);
  const obj = {
    id, object: 'checkout.session', after_expiration: null, allow_promotion_codes: null, amount_subtotal: total, amount_total: total,
    automatic_tax: { enabled: false, liability: null, status: null }, billing_address_collection: null, cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId, client_secret: null, consent: null, consent_collection: null, created: nowSeconds(),
    currency: input.items[0].currency, currency_conversion: null, custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: null, customer_creation: 'if_required', customer_details: null, customer_email: input.customerEmail, expires_at: input.expiresAt,
    invoice: null, invoice_creation: { enabled: false, invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null } },
    livemode: false, locale: null, metadata: input.metadata, mode: 'payment', payment_intent: null, payment_link: null,
    payment_method_collection: 'if_required', payment_method_configuration_details: null, payment_method_options: { card: { request_three_d_secure: 'automatic' } },
    payment_method_types: input.paymentMethodTypes, payment_status: 'unpaid', phone_number_collection: { enabled: false }, recovered_from: null,
    saved_payment_method_options: null, setup_intent: null, shipping_address_collection: null, shipping_cost: null, shipping_details: null,
    shipping_options: [], status: 'open', submit_type: null, subscription: null, success_url: input.successUrl,
    tax_id_collection: { enabled: false }, total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 }, ui_mode: 'hosted',
    url: `${input.baseUrl}/stripe/checkout/pay/${id}`,
  };
  return {
    obj,
    lineItems: input.items.map(lineItem),
    paymentIntentData: input.paymentIntentData,
    products: input.items.map((i) => ({ name: i.name, description: i.description, quantity: i.quantity, amount: i.unitAmount * i.quantity })),
  };
}
