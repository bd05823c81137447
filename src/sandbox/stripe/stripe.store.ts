import type { TestCard } from './stripe.cards';

/** A Stripe API object as served: its JSON fields, a few of them typed for the emulator's use. */
export interface StripeObject {
  id: string;
  object: string;
  [field: string]: unknown;
}

/** PaymentIntent JSON plus what the emulator needs to remember about it. */
export interface PaymentIntentRecord {
  obj: StripeObject & {
    amount: number;
    currency: string;
    status: string;
    client_secret: string;
    payment_method: string | null;
    latest_charge: string | null;
    metadata: Record<string, string>;
  };
  returnUrl?: string;
  checkoutSessionId?: string;
}

/** Charge JSON and the test card that decides its later fate (refund failure, dispute). */
export interface ChargeRecord {
  obj: StripeObject & { amount: number; amount_refunded: number; currency: string; status: string; refunded: boolean; disputed: boolean; payment_intent: string | null };
  card: TestCard;
}

/** Checkout Session JSON, its line items and the card details the hosted page last used. */
export interface SessionRecord {
  obj: StripeObject & { status: string; payment_status: string; amount_total: number; currency: string; url: string | null; payment_intent: string | null; success_url: string; cancel_url: string | null };
  lineItems: StripeObject[];
  /** Product names/descriptions for the hosted page (not part of the served JSON). */
  products: { name: string; description: string | null; quantity: number; amount: number }[];
  /** `payment_intent_data` given at creation, applied to the PaymentIntent made at payment time. */
  paymentIntentData: { metadata: Record<string, string>; description: string | null; captureMethod?: string };
  /** Set while a delayed-notification payment awaits its outcome (controls only). */
  asyncPending?: boolean;
}

/** A PaymentMethod and its test card. */
export interface PaymentMethodRecord {
  obj: StripeObject;
  card: TestCard;
}

/** Refund JSON. */
export type RefundObject = StripeObject & { amount: number; status: string; charge: string; currency: string };

/** All emulated Stripe state, in memory, for one sandbox instance. */
export class StripeStore {
  readonly sessions = new Map<string, SessionRecord>();
  readonly paymentIntents = new Map<string, PaymentIntentRecord>();
  readonly charges = new Map<string, ChargeRecord>();
  readonly paymentMethods = new Map<string, PaymentMethodRecord>();
  readonly refunds = new Map<string, RefundObject>();
  readonly disputes = new Map<string, StripeObject>();
  readonly events = new Map<string, StripeObject>();
}
