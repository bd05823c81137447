import express, { type Router } from 'express';
import { type LineItemInput, sessionRecord } from './checkout-session.objects';
import type { CheckoutService } from './checkout.service';
import { formOf, isHttpUrl, originOf, type StripeDeps } from './stripe.context';
import { invalidRequest, noSuch } from './stripe.errors';
import { render } from './stripe.expand';
import { nowSeconds } from './stripe.ids';
import { formatAmount, minimumAmount } from './stripe.money';
import { EXPAND, Params, type Shape } from './stripe.params';
import type { SessionRecord } from './stripe.store';
import { currencyParam, onlyOneOf } from './stripe.validation';

const LINE_ITEM: Shape = {
  object: {
    price_data: { object: { currency: 'string', unit_amount: 'integer', product_data: { object: { name: 'string', description: 'string', metadata: 'metadata' } } } },
    quantity: 'integer',
  },
};
const CREATE_SHAPE: Record<string, Shape> = {
  mode: 'string', line_items: { array: LINE_ITEM }, success_url: 'string', cancel_url: 'string', client_reference_id: 'string',
  metadata: 'metadata', customer_email: 'string', expires_at: 'integer', payment_method_types: { array: { enum: ['card'] } },
  allowed_payment_method_types: { array: { enum: ['card'] } },
  payment_intent_data: { object: { metadata: 'metadata', description: 'string', capture_method: { enum: ['automatic', 'manual'] } } }, expand: EXPAND,
};

/** Every parameter shape these routes accept, by `METHOD path` as spec3.json names it. */
export const CHECKOUT_SESSION_SHAPES: Record<string, Record<string, Shape>> = { 'POST /v1/checkout/sessions': CREATE_SHAPE };

function lineItems(p: Params): LineItemInput[] {
  const items = p.objs('line_items');
  if (!items?.length) p.missing('line_items');
  const parsed = items.map((item) => {
    const price = item.obj('price_data') ?? item.missing('price_data');
    const product = price.reqObj('product_data');
    const unitAmount = price.reqInt('unit_amount');
    if (unitAmount < 0) price.invalid('unit_amount', 'This value must be greater than or equal to 0.');
    const quantity = item.reqInt('quantity');
    if (quantity < 1) item.invalid('quantity', 'This value must be greater than or equal to 1.');
    return { currency: currencyParam(price), unitAmount, quantity, name: product.reqStr('name'), description: product.str('description') ?? null };
  });
  if (new Set(parsed.map((i) => i.currency)).size > 1) throw invalidRequest('All line items must have the same currency.', 'line_items');
  return parsed;
}

/** `/v1/checkout/sessions`: create (payment mode), retrieve, line items, expire. */
export function checkoutSessionRoutes(deps: StripeDeps, checkout: CheckoutService): Router {
  const { store } = deps;
  const r = express.Router();

  const find = (id: string): SessionRecord => {
    const s = store.sessions.get(id);
    if (!s) throw noSuch('checkout.session', id, 'session');
    checkout.expireIfDue(s);
    return s;
  };

  r.post('/', (_req, res) => {
    const p = Params.parse(formOf(res), CREATE_SHAPE);
    const mode = p.reqStr('mode');
    if (mode !== 'payment') p.invalid('mode', `Checkout mode '${mode}' is not supported by the sandbox (only 'payment').`);
    const items = lineItems(p);
    const successUrl = p.reqStr('success_url');
    for (const key of ['success_url', 'cancel_url']) if (p.str(key) && !isHttpUrl(p.str(key)!)) p.invalid(key, 'Not a valid URL');
    const email = p.str('customer_email');
    if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) p.invalid('customer_email', `Invalid email address: ${email}`);
    const ref = p.str('client_reference_id');
    if (ref && ref.length > 200) p.invalid('client_reference_id', 'client_reference_id must be at most 200 characters.');
    const now = nowSeconds();
    const expiresAt = p.int('expires_at') ?? now + 86_400;
    if (expiresAt < now + 1800) p.invalid('expires_at', 'The `expires_at` timestamp must be at least 30 minutes from Checkout Session creation.');
    if (expiresAt > now + 86_400) p.invalid('expires_at', 'The `expires_at` timestamp must be less than 24 hours from Checkout Session creation.');
    const currency = items[0].currency;
    const total = items.reduce((s, i) => s + i.unitAmount * i.quantity, 0);
    const min = minimumAmount(currency);
    if (min !== undefined && total < min) {
      throw invalidRequest(`The Checkout Session's total amount due must add up to at least ${formatAmount(min, currency)} ${currency}`, 'line_items');
    }
    onlyOneOf(p, ['payment_method_types', 'allowed_payment_method_types']);
    const pid = p.obj('payment_intent_data');
    const session = sessionRecord({
      items, successUrl, cancelUrl: p.str('cancel_url') ?? null, clientReferenceId: ref ?? null, customerEmail: email ?? null,
      metadata: p.metadata(), expiresAt, paymentMethodTypes: p.strings('payment_method_types') ?? p.strings('allowed_payment_method_types') ?? ['card'],
      paymentIntentData: { metadata: pid?.metadata() ?? {}, description: pid?.str('description') ?? null, captureMethod: pid?.str('capture_method') }, baseUrl: deps.ctx.baseUrl(),
    });
    session.obj.allowed_payment_method_types = p.strings('allowed_payment_method_types') ?? null;
    store.sessions.set(session.obj.id, session);
    res.json(render(store, session.obj, p.strings('expand')));
  });

  r.get('/:id', (req, res) => {
    const p = Params.parse(formOf(res), { expand: EXPAND });
    res.json(render(store, find(req.params.id).obj, p.strings('expand')));
  });

  r.get('/:id/line_items', (req, res) => {
    Params.parse(formOf(res), { limit: 'integer', expand: EXPAND });
    const s = find(req.params.id);
    res.json({ object: 'list', data: s.lineItems, has_more: false, url: `/v1/checkout/sessions/${s.obj.id}/line_items` });
  });

  r.post('/:id/expire', (req, res) => {
    const p = Params.parse(formOf(res), { expand: EXPAND });
    const s = find(req.params.id);
    if (s.obj.status !== 'open') {
      throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.obj.status}".`);
    }
    checkout.expire(s, originOf(res));
    res.json(render(store, s.obj, p.strings('expand')));
  });
  return r;
}
