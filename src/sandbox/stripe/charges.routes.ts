import express, { type Router } from 'express';
import { chargeObject, legacyCardSource } from './card-objects';
import { DECLINES } from './stripe.cards';
import { formOf, originOf, type StripeDeps } from './stripe.context';
import { noSuch, StripeApiError } from './stripe.errors';
import { render } from './stripe.expand';
import { cardErrorFields } from './stripe.objects';
import { EXPAND, Params, type Shape } from './stripe.params';
import { checkChargeAmount, currencyParam } from './stripe.validation';

const CHARGE_SHAPE: Record<string, Shape> = {
  amount: 'integer', currency: 'string', source: 'string', description: 'string', metadata: 'metadata', receipt_email: 'string',
  capture: { enum: ['true'] }, expand: EXPAND,
};
const PM_SHAPE: Record<string, Shape> = {
  type: { enum: ['card'] }, card: { object: { token: 'string' } }, billing_details: { object: { email: 'string', name: 'string' } }, metadata: 'metadata', expand: EXPAND,
};

const DISPUTE_LIST_SHAPE: Record<string, Shape> = { charge: 'string', payment_intent: 'string', limit: 'integer', expand: EXPAND };

/** Every parameter shape these routes accept, by `METHOD path` as spec3.json names it. */
export const CHARGE_SHAPES: Record<string, Record<string, Shape>> = { 'POST /v1/charges': CHARGE_SHAPE, 'POST /v1/payment_methods': PM_SHAPE, 'GET /v1/disputes': DISPUTE_LIST_SHAPE };

/**
 * Legacy `/v1/charges` with test tokens (`tok_…`, reusable in the sandbox),
 * `/v1/payment_methods` made from tokens, and `/v1/events/:id`.
 */
export function chargeRoutes(deps: StripeDeps): Router {
  const { store, events, payments } = deps;
  const r = express.Router();

  r.post('/charges', (_req, res) => {
    const p = Params.parse(formOf(res), CHARGE_SHAPE);
    const amount = p.reqInt('amount');
    const currency = currencyParam(p);
    checkChargeAmount(amount, currency);
    const source = p.reqStr('source');
    if (!source.startsWith('tok_')) p.invalid('source', `Only test tokens (tok_…) are supported by the sandbox as a charge source, got '${source}'.`);
    const pm = payments.paymentMethodFromToken(source, 'source');
    const b = pm.card.behaviour;
    // The Charges API cannot run 3-D Secure: such cards decline with `authentication_required`.
    const decline = b.kind === 'decline' ? b.decline : b.kind === 'authenticate' ? DECLINES.authenticationRequired : undefined;
    const charge = chargeObject({
      amount, currency, pm, paymentIntent: null, description: p.str('description') ?? null, metadata: p.metadata(),
      receiptEmail: p.str('receipt_email') ?? null, decline, authenticated: false,
    });
    charge.obj.source = legacyCardSource(pm);
    charge.obj.payment_method = (charge.obj.source as { id: string }).id;
    store.charges.set(charge.obj.id, charge);
    events.emit(decline ? 'charge.failed' : 'charge.succeeded', charge.obj, originOf(res));
    if (decline) {
      const { payment_method: _pm, ...fields } = cardErrorFields(decline, charge.obj.id, undefined);
      throw new StripeApiError(402, 'card_error', decline.message, fields);
    }
    payments.disputeIfCardDoes(charge, originOf(res));
    res.json(render(store, charge.obj, p.strings('expand')));
  });

  r.get('/charges/:id', (req, res) => {
    const p = Params.parse(formOf(res), { expand: EXPAND });
    const charge = store.charges.get(req.params.id);
    if (!charge) throw noSuch('charge', req.params.id, 'charge');
    res.json(render(store, charge.obj, p.strings('expand')));
  });

  r.post('/payment_methods', (_req, res) => {
    const p = Params.parse(formOf(res), PM_SHAPE);
    p.reqStr('type');
    const pm = payments.paymentMethodFromToken(p.reqObj('card').reqStr('token'), 'card[token]');
    const billing = p.obj('billing_details');
    Object.assign(pm.obj.billing_details as object, { email: billing?.str('email') ?? null, name: billing?.str('name') ?? null });
    pm.obj.metadata = p.metadata();
    res.json(render(store, pm.obj, p.strings('expand')));
  });

  r.get('/payment_methods/:id', (req, res) => {
    const p = Params.parse(formOf(res), { expand: EXPAND });
    const pm = store.paymentMethods.get(req.params.id);
    if (!pm) throw noSuch('PaymentMethod', req.params.id, 'payment_method');
    res.json(render(store, pm.obj, p.strings('expand')));
  });

  // GET /v1/disputes?charge=… (the filters the service uses; newest first, as Stripe lists).
  r.get('/disputes', (req, res) => {
    const p = Params.parse(formOf(res), DISPUTE_LIST_SHAPE);
    const charge = p.str('charge');
    const pi = p.str('payment_intent');
    const limit = Math.min(Math.max(p.int('limit') ?? 10, 1), 100);
    const all = [...store.disputes.values()].filter((d) => (!charge || d.charge === charge) && (!pi || d.payment_intent === pi)).reverse();
    res.json({ object: 'list', data: all.slice(0, limit).map((d) => render(store, d, p.strings('expand'))), has_more: all.length > limit, url: '/v1/disputes' });
  });

  r.get('/events/:id', (req, res) => {
    Params.parse(formOf(res), { expand: EXPAND });
    const event = store.events.get(req.params.id);
    if (!event) throw noSuch('event', req.params.id);
    res.json(event);
  });
  return r;
}
