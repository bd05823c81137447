/**
 * Renders an order (items, totals, payments, refunds, history) for the order and admin pages.
 * The admin sees the full log (sources, mutation names, event ids, notes, refund reasons); the
 * customer sees a plain history of what happened to the order, in words.
 */
import { describeDecline } from './api.js';
import { el, fill } from './dom.js';
import { formatMoney } from './money.js';

/** The order fields every page reads. */
export const ORDER_FIELDS = `id status currency amount amountRefunded amountCaptured customerEmail createdAt updatedAt
  items { sku name unitAmount quantity lineAmount }
  payments { id provider method status amount currency providerSessionId providerPaymentId providerChargeId failureCode failureMessage createdAt amountCapturable captures { id amount final } }
  refunds { id amount currency status providerRefundId reason failureMessage createdAt }
  events { sequence type fromStatus toStatus source message at }`;

/** What each status means, in words. */
export const STATUS_WORDS = {
  CREATED: 'Awaiting payment',
  PENDING: 'Payment in progress',
  REQUIRES_ACTION: 'Waiting for card authentication',
  PAID: 'Paid',
  PARTIALLY_REFUNDED: 'Partially refunded',
  REFUNDED: 'Refunded',
  FAILED: 'Payment failed',
  CANCELED: 'Canceled',
  EXPIRED: 'Checkout expired',
  DISPUTED: 'Disputed by the customer',
  AUTHORIZED: 'Funds held, not yet captured',
};

/** Statuses from which the customer may start a new payment attempt (mirrors the server's state machine). */
export const PAYABLE = new Set(['CREATED', 'PENDING', 'REQUIRES_ACTION', 'FAILED', 'EXPIRED']);

const METHOD_WORDS = { STRIPE_CHECKOUT: 'Stripe Checkout', STRIPE_CARD: 'Card (Stripe)', PAYPAL: 'PayPal' };

/** A status badge: the enum value, styled, with its meaning as a tooltip. */
export function statusBadge(status, testId) {
  return el('span', { class: `status status-${status}`, title: STATUS_WORDS[status] ?? status, 'data-testid': testId, dataset: { status } }, status);
}

function time(iso) {
  return el('time', { datetime: iso }, new Date(iso).toLocaleString());
}

/** `headers` starting with '#' are numeric columns (right-aligned). */
function table(caption, headers, rows, testId) {
  return el('table', { 'data-testid': testId },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, headers.map((h) => (h.startsWith('#') ? el('th', { scope: 'col', class: 'num' }, h.slice(1)) : el('th', { scope: 'col' }, h))))),
    el('tbody', {}, rows));
}

function itemsTable(order) {
  const rows = order.items.map((item) => el('tr', {},
    el('td', {}, item.name, el('br'), el('small', {}, item.sku)),
    el('td', { class: 'num' }, item.quantity),
    el('td', { class: 'num' }, formatMoney(item.unitAmount, order.currency)),
    el('td', { class: 'num' }, formatMoney(item.lineAmount, order.currency))));
  rows.push(el('tr', { class: 'total' }, el('th', { colspan: 3, scope: 'row' }, 'Total'), el('td', { class: 'num', 'data-testid': 'order-total' }, formatMoney(order.amount, order.currency))));
  if (order.amountRefunded > 0) {
    rows.push(el('tr', {}, el('th', { colspan: 3, scope: 'row' }, 'Refunded'), el('td', { class: 'num', 'data-testid': 'order-refunded' }, formatMoney(order.amountRefunded, order.currency))));
  }
  return table('Items', ['Item', '#Qty', '#Price', '#Amount'], rows, 'order-items');
}

function paymentsTable(order) {
  if (order.payments.length === 0) return el('p', { class: 'muted' }, 'No payment attempt yet.');
  const rows = order.payments.map((p) => el('tr', {},
    el('td', {}, time(p.createdAt)),
    el('td', {}, METHOD_WORDS[p.method] ?? p.method),
    el('td', {}, el('span', { class: `pstatus pstatus-${p.status}` }, p.status)),
    el('td', { class: 'num' }, formatMoney(p.amount, p.currency)),
    el('td', { class: 'ids' }, [p.providerSessionId, p.providerPaymentId, p.providerChargeId].filter(Boolean).join(' · ') || '—'),
    el('td', {}, p.failureCode || p.failureMessage ? describeDecline(p.failureCode, p.failureMessage) : '')));
  return table('Payments', ['When', 'Method', 'Status', '#Amount', 'Provider references', 'Problem'], rows, 'order-payments');
}

const REFUND_WORDS = { PENDING: 'In progress', SUCCEEDED: 'Refunded', FAILED: 'Failed' };

function refundsTable(order, admin) {
  if (order.refunds.length === 0) return null;
  if (!admin) {
    const rows = order.refunds.map((r) => el('tr', {},
      el('td', {}, time(r.createdAt)),
      el('td', { class: 'num' }, formatMoney(r.amount, r.currency)),
      el('td', {}, REFUND_WORDS[r.status] ?? r.status)));
    return table('Refunds', ['When', '#Amount', 'Status'], rows, 'order-refunds');
  }
  const rows = order.refunds.map((r) => el('tr', {},
    el('td', {}, time(r.createdAt)),
    el('td', { class: 'num' }, formatMoney(r.amount, r.currency)),
    el('td', {}, r.status),
    el('td', { class: 'ids' }, r.providerRefundId ?? '—'),
    el('td', {}, r.failureMessage ?? r.reason ?? '')));
  return table('Refunds', ['When', '#Amount', 'Status', 'Provider reference', 'Reason / problem'], rows, 'order-refunds');
}

/** The customer's history: status changes in words, and an automatic refund of a payment that came too late. */
function plainHistory(order) {
  const rows = [...order.events].sort((a, b) => a.sequence - b.sequence).flatMap((e) => {
    let what;
    if (e.type === 'STATUS_CHANGED' && e.toStatus) what = STATUS_WORDS[e.toStatus] ?? e.toStatus;
    else if (e.type === 'LATE_PAYMENT_REFUNDED') what = 'A payment that arrived after the order was settled is being refunded to you';
    else return [];
    return [el('tr', {},
      el('td', {}, time(e.at)),
      el('td', {}, e.toStatus ? `${e.fromStatus ?? '—'} → ${e.toStatus}` : ''),
      el('td', {}, what))];
  });
  return table('History', ['When', 'Status', 'What happened'], rows, 'order-events');
}

function eventsTable(order) {
  const rows = [...order.events].sort((a, b) => a.sequence - b.sequence).map((e) => el('tr', {},
    el('td', {}, time(e.at)),
    el('td', {}, e.type),
    el('td', {}, e.fromStatus || e.toStatus ? `${e.fromStatus ?? '—'} → ${e.toStatus ?? '—'}` : ''),
    el('td', { class: 'ids' }, e.source),
    el('td', {}, e.message ?? '')));
  return table('History', ['When', 'What', 'Status', 'Source', 'Note'], rows, 'order-events');
}

/** Renders the whole order into `target`; `audience` is 'customer' (a plain history) or 'admin' (the full log). */
export function renderOrder(target, order, audience = 'customer') {
  const admin = audience === 'admin';
  fill(target,
    el('dl', { class: 'facts' },
      el('dt', {}, 'Order'), el('dd', { class: 'ids', 'data-testid': 'order-id' }, order.id),
      el('dt', {}, 'Status'), el('dd', {}, statusBadge(order.status, 'order-status'), ' ', STATUS_WORDS[order.status] ?? ''),
      el('dt', {}, 'Placed'), el('dd', {}, time(order.createdAt)),
      order.customerEmail ? [el('dt', {}, 'Email'), el('dd', {}, order.customerEmail)] : null),
    itemsTable(order),
    paymentsTable(order),
    refundsTable(order, admin),
    admin ? eventsTable(order) : plainHistory(order));
}

/** One line of the live feed: "12:03:04 PENDING → PAID", with its source (stripe:evt_…) for the admin. */
export function liveLine(event, audience = 'customer') {
  return el('li', { 'data-testid': 'live-event', dataset: { status: event.status, sequence: event.sequence ?? '' } },
    time(event.at), ' ', event.previousStatus ? `${event.previousStatus} → ` : '', statusBadge(event.status), ' ',
    audience === 'admin' ? el('small', { class: 'ids' }, event.source) : STATUS_WORDS[event.status] ?? '');
}
