/**
 * The order page: success, cancel and provider return page in one (/order.html?id=…). It never
 * trusts the redirect that brought the person here: it shows what the server says, and follows
 * `orderStatusChanged` live.
 */
import { ApiError, describeDecline, describeError, gql } from './api.js';
import { completeCheckout } from './cart.js';
import { byId, say } from './dom.js';
import { watchOrder } from './live.js';
import { formatMoney } from './money.js';
import { ORDER_FIELDS, PAYABLE, liveLine, renderOrder } from './order-view.js';
import { capturePayPal, lastFailure } from './pay.js';
import { mountPaymentPanel } from './payment-panel.js';
import { orderToken } from './tokens.js';

const params = new URLSearchParams(location.search);
const orderId = params.get('id');
/** How the person got here: result=success|cancel, via=stripe-checkout|card|paypal, or a 3-D Secure return. */
const arrival = {
  result: params.get('result'),
  via: params.get('via'),
  paypalToken: params.get('token'),
  payerId: params.get('PayerID'),
  threeDs: params.get('redirect_status'),
};
let current = null;
/** The "pay again" panel, once mounted: told the order's currency when the order is read. */
let panel = null;
let problem = '';

const version = (order) => Math.max(0, ...order.events.map((e) => e.sequence));

/** What the status means for this person, in one or two sentences. */
function explain(order) {
  const total = formatMoney(order.amount, order.currency);
  const canceled = arrival.result === 'cancel';
  switch (order.status) {
    case 'PAID':
      return ['Thank you — payment received', `Your payment of ${total} is confirmed by the payment provider.`, 'success'];
    case 'PARTIALLY_REFUNDED':
      return ['Partly refunded', `${formatMoney(order.amountRefunded, order.currency)} of ${total} has been refunded to you.`, 'info'];
    case 'REFUNDED':
      return ['Refunded', `The full amount of ${total} has been refunded to you.`, 'info'];
    case 'DISPUTED':
      return ['Payment disputed', 'A dispute was opened with your bank for this payment. We will be in touch.', 'warning'];
    case 'CANCELED':
      return ['Order canceled', 'This order was canceled. Nothing was charged.', 'warning'];
    case 'EXPIRED':
      return ['Checkout expired', `The payment session expired before it was completed, so nothing was charged. The order (${total}) can still be paid below.`, 'warning'];
    case 'FAILED': {
      const failure = lastFailure(order);
      return ['Payment failed', `${failure ? `${describeDecline(failure.code, failure.message)}.` : 'The payment did not go through.'} Nothing was charged; you can try again below.`, 'error'];
    }
    default:
      if (canceled) {
        return ['Payment canceled', `You left the payment page, so nothing was charged. Your order (${total}) is still open and can be paid below.`, 'warning'];
      }
      if (order.status === 'REQUIRES_ACTION' && !arrival.threeDs) {
        return ['Authentication needed', 'Your bank asked for card authentication (3-D Secure), which was not completed. You can pay again below.', 'warning'];
      }
      if (order.status === 'CREATED') return ['Awaiting payment', `This order (${total}) has not been paid yet.`, 'info'];
      return ['Confirming your payment…', 'Waiting for the payment provider to confirm. This page updates by itself; no need to reload.', 'info'];
  }
}

function showPayAgain(order) {
  if (!PAYABLE.has(order.status)) return false;
  if (order.status === 'PENDING' || order.status === 'REQUIRES_ACTION') return arrival.result === 'cancel' || Boolean(problem) || (order.status === 'REQUIRES_ACTION' && !arrival.threeDs);
  return true;
}

function render(order) {
  if (current && version(order) < version(current)) return;
  current = order;
  panel?.refresh();
  const [headline, sentence, kind] = explain(order);
  byId('headline').textContent = headline;
  document.title = `${headline} — order ${order.id}`;
  // A failed order's explanation already names the decline; other statuses need the problem spelled out.
  const extra = problem && order.status !== 'FAILED' ? problem : '';
  say(byId('summary'), extra ? `${extra} ${sentence}` : sentence, extra ? 'error' : kind);
  byId('pay-again').hidden = !showPayAgain(order);
  renderOrder(byId('order'), order);
  if (order.status === 'PAID') completeCheckout(order.id);
}

async function refresh(token) {
  const data = await gql(`query Order($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id: orderId }, token);
  if (!data.order) throw new ApiError('That order does not exist.', 'NOT_FOUND');
  render(data.order);
}

function setLive(state) {
  const node = byId('live');
  node.dataset.state = state;
  node.className = `live live-${state}`;
  node.textContent = {
    connecting: 'Connecting to live updates…',
    live: 'Live: this page updates as soon as the status changes',
    offline: 'Live updates interrupted — reconnecting…',
    denied: 'Live updates are not available for this order in this browser.',
  }[state];
}

/** PayPal sent the person back with ?token=…&PayerID=…: capture once (a reload must not capture again). */
async function captureOnReturn(token) {
  const key = `captured:${orderId}:${arrival.paypalToken}`;
  if (sessionStorage.getItem(key)) return;
  sessionStorage.setItem(key, '1');
  say(byId('summary'), 'Completing your PayPal payment…', 'info');
  try {
    await capturePayPal(orderId, token);
  } catch (error) {
    problem = `The PayPal payment could not be completed: ${describeError(error)}`;
  }
  await refresh(token);
}

async function start() {
  if (!orderId) {
    byId('headline').textContent = 'No order selected';
    say(byId('summary'), 'This page shows one order; open it from the shop after checkout.', 'warning');
    setLive('denied');
    return;
  }
  const token = orderToken(orderId);
  if (!token) {
    byId('headline').textContent = 'Order not available here';
    say(byId('summary'), 'This browser does not hold the access key for this order. Open it from the browser you ordered with.', 'warning');
    setLive('denied');
    return;
  }
  // Provider parameters (PayPal token, client secrets) have done their job; keep them out of history.
  history.replaceState(null, '', `/order.html?id=${encodeURIComponent(orderId)}`);
  panel = mountPaymentPanel(byId('pay-panel'), { resolveOrder: async () => ({ id: orderId, token }), currency: () => current?.currency ?? null });
  watchOrder(orderId, token, {
    onState: (state) => {
      setLive(state);
      // Anything that happened while (re)connecting is picked up by reading the order again.
      if (state === 'live') refresh(token).catch(() => {});
    },
    onEvent: (event) => {
      byId('live-empty').hidden = true;
      byId('live-events').append(liveLine(event));
      render(event.order);
    },
  });
  try {
    await refresh(token);
    if (arrival.via === 'paypal' && arrival.payerId && arrival.result !== 'cancel' && PAYABLE.has(current.status)) await captureOnReturn(token);
  } catch (error) {
    byId('headline').textContent = 'Order not available';
    say(byId('summary'), describeError(error), 'error');
  }
}

start();
