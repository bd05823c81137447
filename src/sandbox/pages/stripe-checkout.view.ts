import type { FieldErrors } from '../stripe/card-form';
import { formatAmount } from '../stripe/stripe.money';
import type { SessionRecord } from '../stripe/stripe.store';
import { esc, hostedDocument, merchantLabel } from './html';
import { STRIPE_CHECKOUT_CSS } from './stripe-checkout.styles';

/** What the form shows again after a failed POST: the values typed, the errors, a message. */
export interface CheckoutFormState {
  values?: Record<string, string | undefined>;
  errors?: FieldErrors;
  message?: string;
}

type FieldName = keyof FieldErrors;

function input(name: FieldName, state: CheckoutFormState, attrs: string, value = ''): string {
  const invalid = state.errors?.[name] ? ' aria-invalid="true"' : '';
  return `<input id="${name}" name="${name}" ${attrs}${invalid} value="${esc(state.values?.[name] ?? value)}">`;
}

function fieldError(name: FieldName, state: CheckoutFormState): string {
  const error = state.errors?.[name];
  return error ? `<div class="field-error" id="${name}-error">${esc(error)}</div>` : '';
}

function lineItems(s: SessionRecord): string {
  const { currency } = s.obj;
  return s.products.map((p) => `<li class="co-item" data-testid="line-item">
<div class="co-thumb" aria-hidden="true">${esc(p.name.trim().charAt(0).toUpperCase())}</div>
<div class="co-item-main"><div class="co-item-name">${esc(p.name)}</div>
<div class="co-item-qty">Qty ${esc(p.quantity)}${p.quantity > 1 ? ` · ${esc(formatAmount(p.amount / p.quantity, currency))} each` : ''}</div>
${p.description ? `<div class="co-item-desc">${esc(p.description)}</div>` : ''}</div>
<div class="co-item-amount">${esc(formatAmount(p.amount, currency))}</div></li>`).join('');
}

function summary(s: SessionRecord, total: string): string {
  // Only a web address becomes a link: never a javascript: or data: URL, whatever the merchant sent.
  const cancel = s.obj.cancel_url;
  const back = cancel && /^https?:\/\//i.test(cancel) ? `<a class="co-back" href="${esc(cancel)}" aria-label="Back">←</a>` : '';
  const merchant = merchantLabel(s.obj.success_url);
  return `<section class="co-summary" aria-label="Order summary"><div class="co-col">
<div class="co-merchant">${back}<span class="co-avatar" aria-hidden="true">${esc(merchant.charAt(0).toUpperCase())}</span>
<span>${esc(merchant)}</span><span class="co-test">TEST MODE</span></div>
<div class="co-label">Pay ${esc(merchant)}</div>
<div class="co-total" id="total">${esc(total)}</div>
<ul class="co-items">${lineItems(s)}</ul>
<div class="co-sum-row"><span>Subtotal</span><span>${esc(total)}</span></div>
<div class="co-sum-row total"><span>Total due</span><span data-testid="total-due">${esc(total)}</span></div>
<div class="co-footer">Powered by <b>stripe</b> · sandbox imitation</div>
</div></section>`;
}

function cardForm(s: SessionRecord, state: CheckoutFormState, total: string): string {
  const email = (s.obj.customer_email as string | null) ?? '';
  return `<section class="co-pay" aria-label="Payment"><div class="co-col">
<h2 class="co-h2">Pay with card</h2>
${state.message ? `<p class="co-alert" id="error" role="alert">${esc(state.message)}</p>` : ''}
<form method="post">
<div class="co-field"><label for="email">Email</label>
${input('email', state, 'type="email" autocomplete="email" placeholder="you@example.com"', email)}${fieldError('email', state)}</div>
<fieldset class="co-fieldset"><legend>Card information <span class="co-brands">VISA · MC · AMEX</span></legend>
${input('card_number', state, 'class="co-card-number" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" aria-label="Card number"')}
<div class="co-card-row">${input('exp', state, 'class="exp" autocomplete="cc-exp" placeholder="MM / YY" aria-label="Expiration (MM/YY)"')}
${input('cvc', state, 'class="cvc" inputmode="numeric" autocomplete="cc-csc" placeholder="CVC" aria-label="CVC"')}</div>
${fieldError('card_number', state)}${fieldError('exp', state)}${fieldError('cvc', state)}</fieldset>
<button class="co-pay-btn" type="submit" name="action" value="pay">Pay ${esc(total)}</button>
<button class="co-cancel-btn" type="submit" name="action" value="cancel" formnovalidate>Cancel and return</button>
</form>
<div class="co-hint">Sandbox test cards: <code>4242 4242 4242 4242</code> pays, <code>4000 0000 0000 0002</code> is declined,
<code>4000 0000 0000 9995</code> has insufficient funds. Any future date, any CVC.</div>
</div></section>`;
}

/** The hosted Checkout page for an open session: summary left, card form right. */
export function checkoutFormPage(s: SessionRecord, state: CheckoutFormState): string {
  const total = formatAmount(s.obj.amount_total, s.obj.currency);
  return hostedDocument({
    title: `Pay ${total}`,
    provider: 'Stripe Checkout',
    css: STRIPE_CHECKOUT_CSS,
    body: `<main class="co">${summary(s, total)}${cardForm(s, state, total)}</main>`,
  });
}

/** A Stripe-styled page with one short message (expired, complete, not found, …); `html` already escaped. */
export function stripeMessagePage(title: string, html: string): string {
  return hostedDocument({ title, provider: 'Stripe', css: STRIPE_CHECKOUT_CSS, body: `<main class="co-msg">${html}</main>` });
}
