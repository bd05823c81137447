import { money } from './paypal.money';
import { authorizationView } from './paypal.authorization.views';
import type { AuthorizationRecord, CaptureRecord, OrderRecord, RefundRecord } from './paypal.state';

type Json = Record<string, unknown>;

/** Where PayPal links point: the sandbox's own base URL. */
export type Base = string;

function link(href: string, rel: string, method: 'GET' | 'POST' | 'PATCH'): Json {
  return { href, rel, method };
}

/** The hosted approval page URL for an order (PayPal's `checkoutnow?token=`). */
export function approveUrl(base: Base, orderId: string): string {
  return `${base}/paypal/checkoutnow?token=${encodeURIComponent(orderId)}`;
}

/** HATEOAS links by order status, as Orders v2 returns them. */
export function orderLinks(base: Base, order: OrderRecord): Json[] {
  const self = `${base}/v2/checkout/orders/${order.id}`;
  const links = [link(self, 'self', 'GET')];
  if (order.status === 'CREATED') links.push(link(approveUrl(base, order.id), 'approve', 'GET'));
  if (order.status === 'PAYER_ACTION_REQUIRED') links.push(link(approveUrl(base, order.id), 'payer-action', 'GET'));
  if (order.status === 'CREATED' || order.status === 'APPROVED') {
    links.push(link(self, 'update', 'PATCH'), link(`${self}/${order.intent === 'AUTHORIZE' ? 'authorize' : 'capture'}`, order.intent === 'AUTHORIZE' ? 'authorize' : 'capture', 'POST'));
  }
  return links;
}

/** `payment_source.paypal` once a buyer is known (what PayPal shows after approval). */
function paymentSource(order: OrderRecord): Json | undefined {
  if (!order.payer) return order.paymentSourcePaypal ? { paypal: {} } : undefined;
  const { payer } = order;
  return {
    paypal: {
      email_address: payer.email_address, account_id: payer.payer_id, account_status: 'VERIFIED',
      name: payer.name, address: payer.address,
    },
  };
}

/** A capture in the Payments v2 `capture` shape (also embedded in orders). */
export function captureView(base: Base, capture: CaptureRecord, withRelatedIds: boolean): Json {
  const view: Json = {
    id: capture.id,
    status: capture.status,
  };
  if (capture.statusReason) view.status_details = { reason: capture.statusReason };
  view.amount = money(capture.amountMinor, capture.currency);
  view.final_capture = capture.finalCapture ?? true;
  view.seller_protection = { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] };
  // PayPal's spec: the receivable breakdown is not available while a capture is pending or declined.
  if (capture.status !== 'PENDING' && capture.status !== 'DECLINED') {
    view.seller_receivable_breakdown = {
      gross_amount: money(capture.amountMinor, capture.currency),
      paypal_fee: money(capture.feeMinor, capture.currency),
      net_amount: money(capture.amountMinor - capture.feeMinor, capture.currency),
    };
  }
  if (capture.invoiceId !== undefined) view.invoice_id = capture.invoiceId;
  if (capture.customId !== undefined) view.custom_id = capture.customId;
  if (withRelatedIds) {
    view.supplementary_data = { related_ids: { order_id: capture.orderId, ...(capture.authorizationId ? { authorization_id: capture.authorizationId } : {}) } };
  }
  view.links = [
    link(`${base}/v2/payments/captures/${capture.id}`, 'self', 'GET'),
    link(`${base}/v2/payments/captures/${capture.id}/refund`, 'refund', 'POST'),
    // A capture of an authorization points up to it; a capture of an order to the order.
    capture.authorizationId
      ? link(`${base}/v2/payments/authorizations/${capture.authorizationId}`, 'up', 'GET')
      : link(`${base}/v2/checkout/orders/${capture.orderId}`, 'up', 'GET'),
  ];
  view.create_time = capture.createTime;
  view.update_time = capture.updateTime;
  return view;
}

/** A refund in the Payments v2 `refund` shape. */
export function refundView(base: Base, refund: RefundRecord, withRelatedIds: boolean): Json {
  const view: Json = { id: refund.id, status: 'COMPLETED', amount: money(refund.amountMinor, refund.currency) };
  if (refund.invoiceId !== undefined) view.invoice_id = refund.invoiceId;
  if (refund.customId !== undefined) view.custom_id = refund.customId;
  if (refund.noteToPayer !== undefined) view.note_to_payer = refund.noteToPayer;
  view.seller_payable_breakdown = {
    gross_amount: money(refund.amountMinor, refund.currency),
    paypal_fee: money(refund.feeMinor, refund.currency),
    net_amount: money(refund.amountMinor - refund.feeMinor, refund.currency),
    total_refunded_amount: money(refund.totalRefundedMinor, refund.currency),
  };
  if (withRelatedIds) view.supplementary_data = { related_ids: { order_id: refund.orderId, capture_id: refund.captureId } };
  view.links = [
    link(`${base}/v2/payments/refunds/${refund.id}`, 'self', 'GET'),
    link(`${base}/v2/payments/captures/${refund.captureId}`, 'up', 'GET'),
  ];
  view.create_time = refund.createTime;
  view.update_time = refund.updateTime;
  return view;
}

/** The full Orders v2 `order` representation (`Prefer: return=representation`). */
export function orderView(base: Base, order: OrderRecord, captures: CaptureRecord[], refunds: RefundRecord[] = [], authorizations: AuthorizationRecord[] = []): Json {
  const unit: Json = { ...order.purchaseUnit };
  const payments: Json = {};
  if (authorizations.length > 0) payments.authorizations = authorizations.map((a) => authorizationView(base, a, false));
  if (captures.length > 0) payments.captures = captures.map((c) => captureView(base, c, false));
  if (captures.length > 0 && refunds.length > 0) payments.refunds = refunds.map((r) => refundView(base, r, false));
  if (Object.keys(payments).length > 0) unit.payments = payments;
  const view: Json = { id: order.id, intent: order.intent, status: order.status };
  const source = paymentSource(order);
  if (source) view.payment_source = source;
  view.purchase_units = [unit];
  if (order.payer) view.payer = order.payer;
  view.create_time = order.createTime;
  view.update_time = order.updateTime;
  view.links = orderLinks(base, order);
  return view;
}

/** `Prefer: return=minimal` for create: id, status, links (+ payment_source when given). */
export function minimalCreateView(base: Base, order: OrderRecord): Json {
  const view: Json = { id: order.id, status: order.status };
  const source = paymentSource(order);
  if (source) view.payment_source = source;
  view.links = orderLinks(base, order);
  return view;
}

/** `Prefer: return=minimal` for capture: PayPal still returns the captures and the payer. */
export function minimalCaptureView(base: Base, order: OrderRecord, captures: CaptureRecord[], authorizations: AuthorizationRecord[] = []): Json {
  const full = orderView(base, order, captures, [], authorizations);
  const unit = (full.purchase_units as Json[])[0];
  const minimalUnit: Json = { reference_id: unit.reference_id, payments: unit.payments };
  if (unit.shipping) minimalUnit.shipping = unit.shipping;
  const view: Json = { id: full.id, status: full.status };
  if (full.payment_source) view.payment_source = full.payment_source;
  view.purchase_units = [minimalUnit];
  if (full.payer) view.payer = full.payer;
  view.links = full.links;
  return view;
}

/** Reads `Prefer` the way PayPal does: representation only when asked for. */
export function wantsRepresentation(prefer: string | undefined): boolean {
  return /return=representation/i.test(prefer ?? '');
}
