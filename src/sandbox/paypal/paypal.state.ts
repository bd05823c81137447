/**
 * The emulator's in-memory records. They hold what PayPal would know
 * (amounts in minor units, statuses, timestamps) and are rendered into
 * PayPal's JSON by the `*.view.ts` files, so one record can be shown in
 * every shape PayPal uses (order, capture, webhook resource).
 */

/** Orders v2 `order_status`. */
export type OrderStatus = 'CREATED' | 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED' | 'VOIDED';

/** Payments v2 `authorization_status` (the spec's enum has no EXPIRED: a lapsed authorization is VOIDED). */
export type AuthorizationStatus = 'CREATED' | 'CAPTURED' | 'DENIED' | 'PARTIALLY_CAPTURED' | 'VOIDED' | 'PENDING';

/** Payments v2 `capture_status`. */
export type CaptureStatus = 'COMPLETED' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'PENDING' | 'REFUNDED' | 'FAILED';

/** The buyer who approved an order on the hosted page. */
export interface PayerRecord {
  payer_id: string;
  email_address: string;
  name: { given_name: string; surname: string };
  address: { country_code: string };
}

/** A normalised purchase unit as PayPal echoes it back (canonical money strings). */
export interface PurchaseUnitRecord {
  reference_id: string;
  amount: Record<string, unknown>;
  payee: { email_address: string; merchant_id: string };
  description?: string;
  custom_id?: string;
  invoice_id?: string;
  soft_descriptor?: string;
  items?: Record<string, unknown>[];
  shipping?: Record<string, unknown>;
}

/** One Orders v2 order. */
export interface OrderRecord {
  id: string;
  intent: 'CAPTURE' | 'AUTHORIZE';
  status: OrderStatus;
  createTime: string;
  updateTime: string;
  currency: string;
  amountMinor: bigint;
  purchaseUnit: PurchaseUnitRecord;
  returnUrl?: string;
  cancelUrl?: string;
  brandName?: string;
  /** Created with `payment_source.paypal` (→ `payer-action` link, `PAYER_ACTION_REQUIRED`). */
  paymentSourcePaypal: boolean;
  payer?: PayerRecord;
  captureIds: string[];
  /** intent AUTHORIZE: the order's authorization (PayPal allows one per order). */
  authorizationIds: string[];
  /** Sandbox control: outcome of the next capture. */
  nextCapture?: 'PENDING' | 'DECLINED';
  /** Sandbox control: negative-testing code armed for the next capture. */
  armedMockCode?: string;
  /** Set by INSTRUMENT_DECLINED: the buyer must pick another instrument (re-approve) first. */
  instrumentDeclined: boolean;
}

/** One authorization of an intent=AUTHORIZE order (Payments v2 `authorization`). */
export interface AuthorizationRecord {
  id: string;
  orderId: string;
  status: AuthorizationStatus;
  currency: string;
  amountMinor: bigint;
  /** Sum of its captures so far. */
  capturedMinor: bigint;
  captureIds: string[];
  customId?: string;
  invoiceId?: string;
  createTime: string;
  updateTime: string;
  /** End of the 29-day authorization period (RFC 3339). */
  expirationTime: string;
  /** Set when it lapsed (sandbox control) rather than being voided: captures answer AUTHORIZATION_EXPIRED. */
  expired: boolean;
  /** End of its 3-day honor period (PayPal keeps it internal: no field of the resource shows it); reauthorize only after it. */
  honorPeriodEnd: string;
  /** Set on a reauthorization: the authorization it renewed (which cannot itself be reauthorized: REAUTHORIZATION_NOT_SUPPORTED). */
  reauthorizationOf?: string;
}

/** One capture of an order. */
export interface CaptureRecord {
  id: string;
  orderId: string;
  /** Set for a capture of an authorization (intent AUTHORIZE). */
  authorizationId?: string;
  /** False while more captures of the same authorization may follow. */
  finalCapture?: boolean;
  status: CaptureStatus;
  statusReason?: string;
  currency: string;
  amountMinor: bigint;
  feeMinor: bigint;
  refundedMinor: bigint;
  customId?: string;
  invoiceId?: string;
  refundIds: string[];
  createTime: string;
  updateTime: string;
}

/** One refund of a capture. */
export interface RefundRecord {
  id: string;
  captureId: string;
  orderId: string;
  currency: string;
  amountMinor: bigint;
  feeMinor: bigint;
  /** Total refunded on the capture once this refund was made. */
  totalRefundedMinor: bigint;
  customId?: string;
  invoiceId?: string;
  noteToPayer?: string;
  createTime: string;
  updateTime: string;
}

/** An issued OAuth access token. */
export interface TokenRecord {
  expiresAt: number;
}

/** A stored `PayPal-Request-Id` response (PayPal keeps them 6 hours). */
export interface IdempotentResponse {
  status: number;
  body: string;
  expiresAt: number;
}

/** A webhook event the sandbox emitted, with the exact bytes it posted. */
export interface SentEvent {
  id: string;
  eventType: string;
  body: string;
  createTime: string;
}

/** Everything one PayPal emulator instance knows. */
export class PayPalState {
  readonly orders = new Map<string, OrderRecord>();
  readonly captures = new Map<string, CaptureRecord>();
  readonly authorizations = new Map<string, AuthorizationRecord>();
  readonly refunds = new Map<string, RefundRecord>();
  /** Disputes by `dispute_id`, kept as the resource PayPal last sent for them. */
  readonly disputes = new Map<string, Record<string, unknown>>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly idempotency = new Map<string, IdempotentResponse>();
  readonly events = new Map<string, SentEvent>();
  tokensIssued = 0;
}
