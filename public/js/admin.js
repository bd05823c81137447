/**
 * The admin page. The admin key lives in one variable of this module: never in storage, a URL
 * or a cookie, so closing or reloading the tab forgets it.
 */
import { describeError, gql, newIdempotencyKey } from './api.js';
import { byId, el, fill, say } from './dom.js';
import { loadWebhookEvents, retryDeadWebhookEvents } from './admin-webhooks.js';
import { clearOutbound, loadOutbound, wireOutbound } from './admin-outbound.js';
import { watchOrder } from './live.js';
import { formatMoney, parseMajor } from './money.js';
import { ORDER_FIELDS, STATUS_WORDS, liveLine, renderOrder, statusBadge } from './order-view.js';

const PAGE_SIZE = 10;
const REFUNDABLE = new Set(['PAID', 'PARTIALLY_REFUNDED', 'DISPUTED']);

let adminKey = null;
let page = { after: null, previous: [], endCursor: null };
let selected = null;
let stopWatching = () => {};

const LIST_QUERY = `query Orders($first: Int, $after: String, $status: OrderStatus) {
  orders(first: $first, after: $after, status: $status) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id status currency amount amountRefunded customerEmail createdAt } }
  }
}`;

async function unlock(event) {
  event.preventDefault();
  const input = byId('admin-key');
  const key = input.value.trim();
  input.value = '';
  try {
    await gql('query Check { orders(first: 1) { totalCount } }', {}, key);
  } catch (error) {
    say(byId('login-message'), error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN' ? 'That admin key was not accepted.' : describeError(error), 'error');
    return;
  }
  adminKey = key;
  say(byId('login-message'), '');
  byId('login').hidden = true;
  byId('console').hidden = false;
  await Promise.all([loadPage(), loadWebhookEvents(adminKey), loadOutbound(adminKey)]);
}

function lock() {
  adminKey = null;
  stopWatching();
  selected = null;
  byId('console').hidden = true;
  byId('detail').hidden = true;
  fill(byId('orders'));
  fill(byId('webhook-events'));
  clearOutbound();
  byId('login').hidden = false;
}

let listRequest = 0;

async function loadPage() {
  const status = byId('status-filter').value || null;
  const request = ++listRequest;
  let data;
  try {
    data = await gql(LIST_QUERY, { first: PAGE_SIZE, after: page.after, status }, adminKey);
  } catch (error) {
    if (request === listRequest) say(byId('list-message'), `The orders could not be loaded. ${describeError(error)}`, 'error');
    return;
  }
  // A slower answer to an earlier filter or page must not overwrite the newer one.
  if (request !== listRequest) return;
  byId('orders-table').dataset.filter = status ?? 'ALL';
  say(byId('list-message'), '');
  const { edges, pageInfo, totalCount } = data.orders;
  page.endCursor = pageInfo.hasNextPage ? pageInfo.endCursor : null;
  fill(byId('orders'), edges.map(({ node }) => orderRow(node)));
  if (edges.length === 0) fill(byId('orders'), el('tr', {}, el('td', { colspan: 7, class: 'muted' }, status ? `No ${status} orders.` : 'No orders yet.')));
  const first = page.previous.length * PAGE_SIZE + 1;
  byId('page-info').textContent = totalCount === 0 ? '' : `${first}–${first + edges.length - 1} of ${totalCount}`;
  byId('prev-page').disabled = page.previous.length === 0;
  byId('next-page').disabled = !page.endCursor;
}

function orderRow(order) {
  const open = el('button', { type: 'button', class: 'link', 'data-testid': 'open-order', dataset: { id: order.id } }, 'Open');
  open.addEventListener('click', () => openOrder(order.id));
  return el('tr', { 'data-testid': 'order-row', dataset: { id: order.id, status: order.status } },
    el('td', {}, new Date(order.createdAt).toLocaleString()),
    el('td', { class: 'ids' }, order.id),
    el('td', {}, statusBadge(order.status)),
    el('td', { class: 'num' }, formatMoney(order.amount, order.currency)),
    el('td', { class: 'num' }, order.amountRefunded ? formatMoney(order.amountRefunded, order.currency) : ''),
    el('td', {}, order.customerEmail ?? ''),
    el('td', {}, open));
}

/** Refundable now: captured minus confirmed refunds minus refunds still pending at the provider. */
function refundable(order) {
  const pending = order.refunds.filter((r) => r.status === 'PENDING').reduce((sum, r) => sum + r.amount, 0);
  return Math.max(0, (order.amountCaptured || order.amount) - order.amountRefunded - pending);
}

function showOrder(order) {
  if (selected?.id !== order.id) return;
  const latest = (o) => Math.max(0, ...o.events.map((e) => e.sequence));
  if (selected.order && latest(order) < latest(selected.order)) return;
  selected.order = order;
  byId('detail-title').textContent = `Order ${order.id} — ${STATUS_WORDS[order.status] ?? order.status}`;
  renderOrder(byId('order'), order, 'admin');
  const left = refundable(order);
  const canRefund = REFUNDABLE.has(order.status) && left > 0;
  byId('refund-currency').textContent = order.currency;
  byId('refundable').textContent = canRefund
    ? `Up to ${formatMoney(left, order.currency)} can be refunded.`
    : `Nothing to refund in status ${order.status}.`;
  for (const id of ['refund-amount', 'refund-reason', 'refund-submit']) byId(id).disabled = !canRefund;
  const authorized = order.status === 'AUTHORIZED';
  const paypal = order.payments.find((p) => p.provider === 'PAYPAL' && (p.status === 'AUTHORIZED' || p.status === 'SUCCEEDED'));
  // PayPal takes further captures of a partly captured authorization until a final one (or its rest is released).
  const open = paypal && paypal.status === 'SUCCEEDED' && paypal.amountCapturable > 0;
  byId('capture-form').hidden = !authorized && !open;
  byId('capture-title').textContent = open ? 'Partly captured: capture more' : 'Authorized: capture or void';
  byId('void-submit').hidden = !authorized && !open;
  byId('void-submit').textContent = open ? 'Release the rest' : 'Void';
  byId('capture-final-label').hidden = !paypal;
  byId('capture-currency').textContent = order.currency;
  byId('capturable').textContent = open
    ? `${formatMoney(order.amountCaptured, order.currency)} of ${formatMoney(paypal.amount, order.currency)} captured; ${formatMoney(paypal.amountCapturable, order.currency)} can still be captured.`
    : authorized ? `${formatMoney(order.amount, order.currency)} is authorized.` : '';
  const row = document.querySelector(`tr[data-testid="order-row"][data-id="${CSS.escape(order.id)}"]`);
  if (row) row.replaceWith(orderRow(order));
}

async function openOrder(id) {
  stopWatching();
  selected = { id, order: null };
  byId('detail').hidden = false;
  fill(byId('live-events'));
  say(byId('refund-message'), '');
  say(byId('capture-message'), '');
  say(byId('reconcile-message'), '');
  byId('refund-amount').value = '';
  byId('refund-reason').value = '';
  const live = byId('live');
  stopWatching = watchOrder(id, adminKey, {
    onState: (state) => {
      live.dataset.state = state;
      live.className = `live live-${state}`;
      live.textContent = state === 'live' ? 'Live: status changes appear here as they happen' : state === 'connecting' ? 'Connecting to live updates…' : 'Live updates unavailable — reconnecting…';
      if (state === 'live') reloadOrder(id);
    },
    onEvent: (event) => {
      byId('live-events').append(liveLine(event, 'admin'));
      showOrder(event.order);
    },
  });
  await reloadOrder(id);
  byId('detail').scrollIntoView({ block: 'start' });
}

async function reloadOrder(id) {
  try {
    const data = await gql(`query Order($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id }, adminKey);
    if (data.order) showOrder(data.order);
  } catch (error) {
    say(byId('refund-message'), `The order could not be loaded. ${describeError(error)}`, 'error');
  }
}

async function refund(event) {
  event.preventDefault();
  const order = selected?.order;
  if (!order) return;
  const text = byId('refund-amount').value.trim();
  let amount = null;
  if (text) {
    const parsed = parseMajor(text, order.currency);
    if (parsed.error) {
      say(byId('refund-message'), parsed.error, 'error');
      return;
    }
    amount = parsed.minor;
  }
  const reason = byId('refund-reason').value.trim() || null;
  byId('refund-submit').disabled = true;
  say(byId('refund-message'), 'Sending the refund to the payment provider…', 'info');
  try {
    const data = await gql(
      `mutation Refund($input: RefundOrderInput!) { refundOrder(input: $input) { id amount currency status providerRefundId failureMessage } }`,
      { input: { orderId: order.id, amount, reason } },
      adminKey,
      { idempotencyKey: newIdempotencyKey() },
    );
    const r = data.refundOrder;
    const outcome = { SUCCEEDED: 'refunded', PENDING: 'requested; the provider is processing it', FAILED: 'refused by the provider', CANCELED: 'canceled' }[r.status] ?? r.status;
    say(byId('refund-message'), `${formatMoney(r.amount, r.currency)} ${outcome}${r.providerRefundId ? ` (${r.providerRefundId})` : ''}${r.failureMessage ? `: ${r.failureMessage}` : ''}.`, r.status === 'FAILED' ? 'error' : 'success');
    byId('refund-amount').value = '';
    byId('refund-reason').value = '';
  } catch (error) {
    say(byId('refund-message'), `The refund was not made. ${describeError(error)}`, 'error');
  }
  await reloadOrder(order.id);
}

/** PayPal orders say whether this capture is the final one (the checkbox); Stripe captures once and is not asked. */
function finalCapture() {
  return byId('capture-final-label').hidden ? {} : { finalCapture: byId('capture-final').checked };
}

/** Capture (all, or the amount typed) or void an AUTHORIZED order's held funds; a partly captured PayPal authorization takes more. */
async function settleAuthorization(event, action) {
  event.preventDefault();
  const order = selected?.order;
  if (!order) return;
  let amount = null;
  const text = byId('capture-amount').value.trim();
  if (action === 'capture' && text) {
    const parsed = parseMajor(text, order.currency);
    if (parsed.error) return say(byId('capture-message'), parsed.error, 'error');
    amount = parsed.minor;
  }
  say(byId('capture-message'), action === 'capture' ? 'Capturing at the payment provider…' : 'Voiding the authorization…', 'info');
  try {
    const data = action === 'capture'
      ? await gql(`mutation Capture($input: CapturePaymentInput!) { capturePayment(input: $input) { status amountCaptured currency } }`, { input: { orderId: order.id, amount, ...finalCapture() } }, adminKey, { idempotencyKey: newIdempotencyKey() })
      : await gql(`mutation Void($orderId: ID!) { voidPayment(orderId: $orderId) { status amountCaptured currency } }`, { orderId: order.id }, adminKey, { idempotencyKey: newIdempotencyKey() });
    const o = data.capturePayment ?? data.voidPayment;
    const voided = o.status === 'CANCELED' ? 'The authorization was voided; nothing was charged.' : `The rest of the authorization was released; ${formatMoney(o.amountCaptured, o.currency)} stays captured.`;
    say(byId('capture-message'), action === 'capture' ? `${formatMoney(o.amountCaptured, o.currency)} captured.` : voided, 'success');
    byId('capture-amount').value = '';
    byId('capture-final').checked = true;
  } catch (error) {
    say(byId('capture-message'), `Nothing was ${action === 'capture' ? 'captured' : 'voided'}. ${describeError(error)}`, 'error');
  }
  await reloadOrder(order.id);
}

/** `reconcileOrder`: ask the providers now (a webhook that never came, a refund still pending). */
async function reconcile() {
  const id = selected?.id;
  if (!id) return;
  const button = byId('reconcile');
  button.disabled = true;
  say(byId('reconcile-message'), 'Asking the payment provider…', 'info');
  // Read before asking: the live subscription may show the change before the answer arrives.
  const before = selected.order?.status;
  try {
    const data = await gql(`mutation Reconcile($id: ID!) { reconcileOrder(orderId: $id) { ${ORDER_FIELDS} } }`, { id }, adminKey);
    showOrder(data.reconcileOrder);
    const now = data.reconcileOrder.status;
    say(byId('reconcile-message'), before && before !== now ? `The provider's answer moved the order from ${before} to ${now}.` : `Checked: the provider agrees, the order is ${now}.`, 'success');
  } catch (error) {
    say(byId('reconcile-message'), `The provider could not be asked. ${describeError(error)}`, 'error');
  } finally {
    button.disabled = false;
  }
}

function start() {
  const filter = byId('status-filter');
  for (const [status, words] of Object.entries(STATUS_WORDS)) filter.append(el('option', { value: status }, `${status} — ${words}`));
  byId('login').addEventListener('submit', unlock);
  byId('lock').addEventListener('click', lock);
  byId('refresh').addEventListener('click', () => loadPage());
  filter.addEventListener('change', () => {
    page = { after: null, previous: [], endCursor: null };
    loadPage();
  });
  byId('next-page').addEventListener('click', () => {
    if (!page.endCursor) return;
    page.previous.push(page.after);
    page.after = page.endCursor;
    loadPage();
  });
  byId('prev-page').addEventListener('click', () => {
    if (page.previous.length === 0) return;
    page.after = page.previous.pop();
    loadPage();
  });
  byId('refund-form').addEventListener('submit', refund);
  byId('capture-form').addEventListener('submit', (e) => settleAuthorization(e, 'capture'));
  byId('void-submit').addEventListener('click', (e) => settleAuthorization(e, 'void'));
  byId('reconcile').addEventListener('click', reconcile);
  byId('webhook-refresh').addEventListener('click', () => loadWebhookEvents(adminKey));
  byId('webhook-status-filter').addEventListener('change', () => loadWebhookEvents(adminKey));
  byId('webhook-retry-dead').addEventListener('click', () => retryDeadWebhookEvents(adminKey));
  wireOutbound(() => adminKey);
}

start();
