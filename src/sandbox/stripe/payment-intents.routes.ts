import express, { type Router } from 'express';
import { PaymentIntentsService } from './payment-intents.service';
import { formOf, originOf, type StripeDeps } from './stripe.context';
import { render } from './stripe.expand';
import { EXPAND, Params, type Shape } from './stripe.params';

// Stripe's published API (spec3.json) has no `payment_method_data[card]`: a card token becomes a
// PaymentMethod through POST /v1/payment_methods first, so `card` here is an unknown parameter.
const PM_DATA: Shape = {
  object: { type: { enum: ['card'] }, billing_details: { object: { email: 'string', name: 'string' } }, metadata: 'metadata' },
};
const CONFIRM_SHAPE: Record<string, Shape> = { payment_method: 'string', payment_method_data: PM_DATA, return_url: 'string', receipt_email: 'string', expand: EXPAND };
const CREATE_SHAPE: Record<string, Shape> = {
  ...CONFIRM_SHAPE,
  amount: 'integer', currency: 'string', confirm: 'boolean', description: 'string', metadata: 'metadata',
  capture_method: { enum: ['automatic', 'manual'] },
  // `allowed_payment_method_types` is stripe-node 23's (API 2026) name for `payment_method_types`.
  payment_method_types: { array: { enum: ['card'] } },
  allowed_payment_method_types: { array: { enum: ['card'] } },
  automatic_payment_methods: { object: { enabled: 'boolean', allow_redirects: { enum: ['always', 'never'] } } },
};
const CAPTURE_SHAPE: Record<string, Shape> = { amount_to_capture: 'integer', metadata: 'metadata', expand: EXPAND };
const CANCEL_SHAPE: Record<string, Shape> = { cancellation_reason: { enum: ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] }, expand: EXPAND };

/** Every parameter shape these routes accept, by `METHOD path` as spec3.json names it (checked against the spec in test/sandbox). */
export const PAYMENT_INTENT_SHAPES: Record<string, Record<string, Shape>> = {
  'POST /v1/payment_intents': CREATE_SHAPE,
  'POST /v1/payment_intents/{intent}/confirm': CONFIRM_SHAPE,
  'POST /v1/payment_intents/{intent}/cancel': CANCEL_SHAPE,
  'POST /v1/payment_intents/{intent}/capture': CAPTURE_SHAPE,
};
/** `/v1/payment_intents`: create (optionally confirming), retrieve, confirm, cancel, capture. */
export function paymentIntentRoutes(deps: StripeDeps): Router {
  const service = new PaymentIntentsService(deps);
  const r = express.Router();
  r.post('/', (_req, res) => {
    res.json(service.create(Params.parse(formOf(res), CREATE_SHAPE), originOf(res)));
  });
  r.get('/:id', (req, res) => {
    const p = Params.parse(formOf(res), { expand: EXPAND });
    res.json(render(deps.store, service.find(req.params.id).obj, p.strings('expand')));
  });
  r.post('/:id/confirm', (req, res) => {
    res.json(service.confirmExisting(req.params.id, Params.parse(formOf(res), CONFIRM_SHAPE), originOf(res)));
  });
  r.post('/:id/cancel', (req, res) => {
    res.json(service.cancel(req.params.id, Params.parse(formOf(res), CANCEL_SHAPE), originOf(res)));
  });
  r.post('/:id/capture', (req, res) => {
    res.json(service.capture(req.params.id, Params.parse(formOf(res), CAPTURE_SHAPE), originOf(res)));
  });
  return r;
}
