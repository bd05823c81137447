import type { DisputeOutcome, PaymentAction, PaymentRef, ProviderRefundState } from '../../domain/providers/provider-events';
import { authorizationAction } from './paypal.authorization-events';
import { fromPayPalValue } from './paypal.money';

type Json = Record<string, unknown>;

/** Prefix of the `custom_id` we give our refunds, so a refund event names our refund, not the payment. */
export const REFUND_CUSTOM_ID_PREFIX = 'refund-';

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(obj).filter((v): v is Json => v !== undefined) : [];
}

/** The id at the end of a HATEOAS link `rel` whose path contains `/<collection>/`. */
function linkedId(resource: Json, rel: string, collection: string): string | undefined {
  const href = str(list(resource.links).find((l) => l.rel === rel)?.href);
  const match = href ? new RegExp(`/${collection}/([^/?#]+)$`).exec(href) : null;
  return match?.[1];
}

/** `{currency_code, value}` → minor units; undefined when absent or not a valid amount. */
function amountOf(resource: Json): { amount: number; currency: string } | undefined {
  const money = obj(resource.amount);
  const currency = str(money?.currency_code);
  const value = str(money?.value);
  if (!currency || !value) return undefined;
  try {
    return { amount: fromPayPalValue(value, currency), currency };
  } catch {
    return undefined;
  }
}

/** Our payment id travels in `custom_id`; a refund's `custom_id` is ours only with the refund prefix. */
function paymentIdFrom(customId: unknown): string | undefined {
  const id = str(customId);
  return id && !id.startsWith(REFUND_CUSTOM_ID_PREFIX) ? id : undefined;
}

/** A capture resource (webhook or inside an order) → the fact it states about our payment. */
export function captureAction(capture: Json, ref: PaymentRef): PaymentAction {
  const fullRef: PaymentRef = {
    paymentId: ref.paymentId ?? paymentIdFrom(capture.custom_id),
    orderId: ref.orderId,
    providerPaymentId: ref.providerPaymentId ?? str(obj(obj(capture.supplementary_data)?.related_ids)?.order_id) ?? linkedId(capture, 'up', 'orders'),
    chargeId: str(capture.id),
  };
  const status = str(capture.status);
  switch (status) {
    case 'COMPLETED':
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED': {
      const money = amountOf(capture);
      if (!money) return { kind: 'ignored', reason: `capture ${fullRef.chargeId ?? '?'} has no valid amount` };
      return { kind: 'payment_succeeded', ref: fullRef, ...money, ...(typeof capture.final_capture === 'boolean' ? { finalCapture: capture.final_capture } : {}) };
    }
    case 'PENDING':
      return { kind: 'payment_processing', ref: fullRef };
    case 'DECLINED':
    case 'FAILED':
      return { kind: 'payment_failed', ref: fullRef, code: status, message: str(obj(capture.status_details)?.reason) ?? `the capture was ${status.toLowerCase()}` };
    default:
      return { kind: 'ignored', reason: `capture status ${status ?? 'missing'} is not handled` };
  }
}

/**
 * An Orders v2 order (capture or authorize answer, or GET) → facts: one per capture; for
 * intent AUTHORIZE, the authorization's own state until a capture speaks for it (and, after its
 * captures, a void or lapse of the rest); or "approved" when nothing happened yet.
 */
export function orderActions(order: Json): PaymentAction[] {
  const providerPaymentId = str(order.id);
  const actions: PaymentAction[] = [];
  for (const unit of list(order.purchase_units)) {
    const ref: PaymentRef = { paymentId: paymentIdFrom(unit.custom_id), orderId: str(unit.reference_id), providerPaymentId };
    const captures = list(obj(unit.payments)?.captures);
    for (const capture of captures) actions.push(captureAction(capture, ref));
    // The authorization speaks until a capture does; after its captures, only a void or lapse of the rest does.
    for (const auth of list(obj(unit.payments)?.authorizations)) if (captures.length === 0 || auth.status === 'VOIDED') actions.push(authorizationAction(auth, ref));
  }
  if (actions.length === 0 && order.status === 'APPROVED') {
    const unit = list(order.purchase_units)[0];
    actions.push({ kind: 'payment_approved', ref: { paymentId: paymentIdFrom(unit?.custom_id), orderId: str(unit?.reference_id), providerPaymentId } });
  }
  return actions;
}

const REFUND_STATUS: Record<string, ProviderRefundState['status']> = {
  COMPLETED: 'SUCCEEDED',
  PENDING: 'PENDING',
  FAILED: 'FAILED',
  CANCELLED: 'CANCELED',
};

/** A refund resource → its state; the capture it belongs to is its `up` link. */
export function refundAction(refund: Json, fallback?: { amount: number; currency: string }): PaymentAction {
  const related = obj(obj(refund.supplementary_data)?.related_ids);
  const customId = str(refund.custom_id);
  const ref: PaymentRef = {
    paymentId: paymentIdFrom(customId),
    providerPaymentId: str(related?.order_id),
    chargeId: str(related?.capture_id) ?? linkedId(refund, 'up', 'captures'),
  };
  const money = amountOf(refund) ?? fallback;
  const providerRefundId = str(refund.id);
  const status = REFUND_STATUS[str(refund.status) ?? ''];
  if (!money || !providerRefundId || !status) return { kind: 'ignored', reason: 'refund without id, amount or known status' };
  return {
    kind: 'refund_state',
    ref,
    refund: {
      providerRefundId,
      ...money,
      status,
      refundId: customId?.startsWith(REFUND_CUSTOM_ID_PREFIX) ? customId.slice(REFUND_CUSTOM_ID_PREFIX.length) : undefined,
      failureMessage: status === 'FAILED' ? str(obj(refund.status_details)?.reason) : undefined,
    },
  };
}

/**
 * `dispute_outcome.outcome_code` values whose direction PayPal's Disputes API states: resolved in
 * the seller's favour (the merchant keeps the money) or the buyer's. The other codes
 * (`RESOLVED_WITH_PAYOUT`, `CANCELED_BY_BUYER`, `ACCEPTED`, `DENIED`, `NONE`) are left to a human.
 */
const DISPUTE_OUTCOMES: Record<string, DisputeOutcome> = { RESOLVED_SELLER_FAVOUR: 'won', RESOLVED_BUYER_FAVOUR: 'lost' };

/** A dispute resource → the fact its state states: still open, or resolved with a known outcome. */
function disputeAction(dispute: Json): PaymentAction {
  const transaction = list(dispute.disputed_transactions)[0];
  const chargeId = str(transaction?.seller_transaction_id);
  const disputeId = str(dispute.dispute_id);
  if (!chargeId || !disputeId) return { kind: 'ignored', reason: 'dispute without a disputed capture' };
  const disputed = amountOf({ amount: dispute.dispute_amount });
  const said = { ref: { chargeId, paymentId: paymentIdFrom(transaction?.custom) }, disputeId, reason: str(dispute.reason), ...disputed };
  if (str(dispute.status) !== 'RESOLVED') return { kind: 'dispute_opened', ...said };
  const code = str(obj(dispute.dispute_outcome)?.outcome_code);
  const outcome = code ? DISPUTE_OUTCOMES[code] : undefined;
  if (!outcome) return { kind: 'ignored', reason: `dispute ${disputeId} resolved with outcome ${code ?? '(none)'}, which is not mapped` };
  return { kind: 'dispute_closed', ...said, outcome };
}

/**
 * A verified PayPal webhook event → provider-neutral facts. Which status an order gets from them
 * is decided by the domain (PaymentReconciler), never here.
 */
export function eventActions(event: Json): PaymentAction[] {
  const type = str(event.event_type) ?? '';
  const resource = obj(event.resource);
  if (!resource) return [{ kind: 'ignored', reason: `${type} without a resource` }];
  switch (type) {
    case 'CHECKOUT.ORDER.APPROVED': {
      const unit = list(resource.purchase_units)[0];
      return [{ kind: 'payment_approved', ref: { paymentId: paymentIdFrom(unit?.custom_id), orderId: str(unit?.reference_id), providerPaymentId: str(resource.id) } }];
    }
    case 'PAYMENT.CAPTURE.COMPLETED':
    case 'PAYMENT.CAPTURE.PENDING':
    case 'PAYMENT.CAPTURE.DENIED':
      return [captureAction(resource, {})];
    case 'PAYMENT.CAPTURE.REFUNDED':
    case 'PAYMENT.CAPTURE.REVERSED':
      return [refundAction(resource)];
    case 'PAYMENT.AUTHORIZATION.CREATED':
    case 'PAYMENT.AUTHORIZATION.VOIDED':
      return [authorizationAction(resource)];
    case 'CUSTOMER.DISPUTE.CREATED':
    case 'CUSTOMER.DISPUTE.UPDATED':
    case 'CUSTOMER.DISPUTE.RESOLVED':
      return [disputeAction(resource)];
    default:
      return [{ kind: 'ignored', reason: `event type ${type || '(none)'} is not handled` }];
  }
}

/**
 * Reconciliation: an Orders v2 GET → every fact it shows (captures, the refunds listed under
 * `payments.refunds`, including those made in PayPal's resolution center), or `payment_expired`
 * when PayPal reports the order VOIDED (never approved in time).
 */
export function orderTruth(order: Json, ref: PaymentRef): PaymentAction[] {
  if (order.status === 'VOIDED') return [{ kind: 'payment_expired', ref: { ...ref, providerPaymentId: str(order.id) ?? ref.providerPaymentId } }];
  const actions = orderActions(order);
  for (const unit of list(order.purchase_units)) {
    for (const refund of list(obj(unit.payments)?.refunds)) {
      const action = refundAction(refund);
      if (action.kind === 'refund_state') actions.push({ ...action, ref: { ...action.ref, paymentId: action.ref.paymentId ?? ref.paymentId, providerPaymentId: str(order.id) } });
      else actions.push(action);
    }
  }
  return actions;
}
