import express, { type Response, type Router } from 'express';
import { readCardForm } from './card-form';
import { paymentMethodObject } from './card-objects';
import type { CheckoutService } from './checkout.service';
import type { StripeDeps } from './stripe.context';
import { esc } from '../pages/html';
import { checkoutFormPage as payForm, stripeMessagePage as page } from '../pages/stripe-checkout.view';
import type { SessionRecord } from './stripe.store';

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
