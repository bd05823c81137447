/** The "how would you like to pay" panel, shared by checkout and the order page's "pay again". */
import { describeDecline, describeError } from './api.js';
import { el, fill, say } from './dom.js';
import { chargeWithToken, lastFailure, orderPageUrl, payWithPayPal, payWithStripeCheckout } from './pay.js';
import { payPalRefusal } from './paypal-currencies.js';

/**
 * Renders the three payment methods into `target`. `resolveOrder()` returns `{ id, token }`
 * (creating the order on first use at checkout); `onError(error)` lets the caller react, e.g.
 * forget an order that can no longer be paid; `currency()` is the order's currency when known.
 * Returns `{ refresh }`: call it when the currency changes (PayPal is disabled, saying why, for a
 * currency PayPal does not take).
 */
export function mountPaymentPanel(target, { resolveOrder, onError = () => {}, currency = () => null }) {
  const message = el('p', { id: 'pay-message', class: 'notice', role: 'alert', 'data-testid': 'pay-message', hidden: true });
  const tokenInput = el('input', { id: 'card-token', name: 'card-token', value: 'tok_visa', autocomplete: 'off', spellcheck: 'false', required: true });
  const buttons = {
    checkout: el('button', { type: 'button', id: 'pay-stripe-checkout', 'data-testid': 'pay-stripe-checkout' }, 'Pay by card on Stripe Checkout'),
    token: el('button', { type: 'submit', id: 'pay-token', 'data-testid': 'pay-token' }, 'Pay with this card token'),
    paypal: el('button', { type: 'button', id: 'pay-paypal', 'data-testid': 'pay-paypal', class: 'paypal' }, 'Pay with PayPal'),
  };
  const paypalNote = el('p', { class: 'hint', 'data-testid': 'paypal-unavailable', hidden: true });
  // "Authorize only": the money is held, not taken, until the shop captures (cards, and PayPal's intent AUTHORIZE).
  const authorizeOnly = el('input', { type: 'checkbox', id: 'authorize-only', 'data-testid': 'authorize-only' });
  const captureMethod = () => (authorizeOnly.checked ? 'MANUAL' : 'AUTOMATIC');
  const tokenForm = el('form', { class: 'token-form' },
    el('label', { for: 'card-token' }, 'Stripe test token'), tokenInput,
    el('p', { class: 'hint' }, 'tok_visa pays · tok_chargeDeclined is declined · tok_threeDSecure2Required asks for 3-D Secure'),
    buttons.token);
  fill(target,
    el('div', { class: 'methods' },
      el('div', { class: 'method' }, el('h3', {}, 'Card, on Stripe Checkout'), el('p', {}, "Enter your card on Stripe's hosted payment page (try 4242 4242 4242 4242)."), buttons.checkout),
      el('div', { class: 'method' }, el('h3', {}, 'Card token'), tokenForm),
      el('div', { class: 'method' }, el('h3', {}, 'PayPal'), el('p', {}, 'Approve the payment on PayPal, then come back here to complete it.'), buttons.paypal, paypalNote)),
    el('p', { class: 'authorize-only' }, authorizeOnly, el('label', { for: 'authorize-only' }, ' Authorize only: hold the amount now (card or PayPal), charge it when the order ships')),
    message);

  let working = false;
  function refresh() {
    const refusal = payPalRefusal(currency());
    for (const b of Object.values(buttons)) b.disabled = working;
    if (refusal) buttons.paypal.disabled = true;
    buttons.paypal.title = refusal ?? '';
    paypalNote.textContent = refusal ?? '';
    paypalNote.hidden = !refusal;
  }
  const busy = (on) => { working = on; refresh(); };

  async function run(what, action) {
    busy(true);
    say(message, what, 'info');
    try {
      const order = await resolveOrder();
      const keepBusy = await action(order);
      if (!keepBusy) busy(false);
    } catch (error) {
      say(message, describeError(error), 'error');
      onError(error);
      busy(false);
    }
  }

  buttons.checkout.addEventListener('click', () => run('Opening Stripe Checkout…', async (order) => {
    await payWithStripeCheckout(order.id, order.token, captureMethod());
    return true;
  }));

  buttons.paypal.addEventListener('click', () => run('Opening PayPal…', async (order) => {
    await payWithPayPal(order.id, order.token, captureMethod());
    return true;
  }));

  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const cardToken = tokenInput.value.trim();
    if (!cardToken) {
      say(message, 'Enter a card token such as tok_visa.', 'error');
      return;
    }
    run('Charging your card…', async (order) => {
      const result = await chargeWithToken(order.id, order.token, cardToken, captureMethod());
      if (result.requiresAction && result.nextActionUrl) {
        say(message, 'Your bank asks you to confirm this payment (3-D Secure). Taking you there…', 'info');
        location.assign(result.nextActionUrl);
        return true;
      }
      const failure = result.order.status === 'FAILED' ? lastFailure(result.order) : undefined;
      if (failure) {
        say(message, `${describeDecline(failure.code, failure.message)}. Nothing was charged; try another card or way to pay.`, 'error');
        return false;
      }
      location.assign(orderPageUrl(order.id, { via: 'card' }));
      return true;
    });
  });
  refresh();
  return { refresh };
}
