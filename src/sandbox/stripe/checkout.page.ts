import express, { type Response, type Router } from 'express';
import { readCardForm, type FieldErrors } from './card-form';
import { paymentMethodObject } from './card-objects';
import type { CheckoutService } from './checkout.service';
import type { StripeDeps } from './stripe.context';
import { esc, page } from './stripe.html';
import { formatAmount } from './stripe.money';
import type { SessionRecord } from './stripe.store';

interface FormState {
  values?: Record<string, string | undefined>;
  errors?: FieldErrors;
  message?: string;
}

function field(name: keyof FieldErrors, label: string, state: FormState, attrs: string, value = ''): string {
  const error = state.errors?.[name];
  return `<label for="${name}">${esc(label)}</label><input id="${name}" name="${name}" ${attrs} value="${esc(state.values?.[name] ?? value)}">` +
    (error ? `<div class="field-error" id="${name}-error">${esc(error)}</div>` : '');
}

function payForm(s: SessionRecord, state: FormState): string {
  const { obj } = s;
  const rows = s.products
    .map((p) => `<tr><td>${esc(p.name)}${p.quantity > 1 ? ` × ${p.quantity}` : ''}${p.description ? `<br><small>${esc(p.description)}</small>` : ''}</td><td class="amount">${esc(formatAmount(p.amount, obj.currency))}</td></tr>`)
    .join('');
  const total = formatAmount(obj.amount_total, obj.currency);
  return page(`Pay ${total}`, `<h1>Pay <span id="total">${esc(total)}</span></h1>
<table>${rows}<tr><th>Total</th><td class="amount">${esc(total)}</td></tr></table>
${state.message ? `<p class="error" id="error" role="alert">${esc(state.message)}</p>` : ''}
<form method="post">
${field('email', 'Email', state, 'type="email" autocomplete="email"', (obj.customer_email as string | null) ?? '')}
${field('card_number', 'Card number', state, 'inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242"')}
${field('exp', 'Expiry (MM/YY)', state, 'autocomplete="cc-exp" placeholder="MM/YY"')}
${field('cvc', 'CVC', state, 'inputmode="numeric" autocomplete="cc-csc" placeholder="123"')}
<button type="submit" name="action" value="pay">Pay ${esc(total)}</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</form>`);
}

/** Pages for sessions that can no longer be paid; never a second payment. */
function closedPage(res: Response, s: SessionRecord): void {
  if (s.obj.status === 'expired') {
    res.status(410).type('html').send(page('Session expired', '<h1>This Checkout Session has expired.</h1><p>Return to the merchant to start again.</p>'));
    return;
  }
  res.status(200).type('html').send(page('Already paid', `<h1>This Checkout Session is already complete.</h1><p>Payment status: ${esc(s.obj.payment_status)}.</p>`));
}

/**
 * The hosted Checkout page (`session.url`): a plain HTML form (no JS) whose
 * POST pays (`action=pay`) or cancels (`action=cancel`). 3-D Secure cards are
 * authenticated in place, as Checkout handles 3DS itself; cards that decline
 * after authentication still decline.
 */
export function checkoutPage(deps: StripeDeps, checkout: CheckoutService): Router {
  const r = express.Router();
  r.use(express.urlencoded({ extended: false }));

  const find = (id: string, res: Response): SessionRecord | undefined => {
    const s = deps.store.sessions.get(id);
    if (!s) res.status(404).type('html').send(page('Not found', '<h1>No such Checkout Session.</h1>'));
    else checkout.expireIfDue(s);
    return s;
  };

  r.get('/:id', (req, res) => {
    const s = find(req.params.id, res);
    if (!s) return;
    if (s.obj.status !== 'open') return closedPage(res, s);
    res.type('html').send(payForm(s, {}));
  });

  r.post('/:id', (req, res) => {
    const s = find(req.params.id, res);
    if (!s) return;
    if (s.obj.status !== 'open') return closedPage(res, s);
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    if (form.action === 'cancel') {
      // Stripe leaves the session open when the customer goes back; it expires later.
      if (s.obj.cancel_url) return res.redirect(303, s.obj.cancel_url);
      return res.type('html').send(page('Canceled', '<h1>Payment canceled.</h1>'));
    }
    if (form.action !== 'pay') return res.status(400).type('html').send(payForm(s, { values: form, message: 'Choose Pay or Cancel.' }));
    const { entry, errors } = readCardForm(form, (s.obj.customer_email as string | null) ?? null);
    if (!entry) return res.status(400).type('html').send(payForm(s, { values: form, errors, message: 'Please check the highlighted fields.' }));
    const pm = deps.payments.savePaymentMethod(paymentMethodObject(entry.card, entry.email, entry.exp));
    const result = checkout.payWithCard(s, pm, entry.email);
    if (result.kind === 'declined') return res.status(402).type('html').send(payForm(s, { values: { email: form.email }, message: result.decline.message }));
    res.redirect(303, s.obj.success_url.replace(/\{CHECKOUT_SESSION_ID\}/g, s.obj.id));
  });
  return r;
}
