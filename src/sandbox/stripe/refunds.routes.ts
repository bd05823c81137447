import express, { type Router } from 'express';
import { RefundsService } from './refunds.service';
import { formOf, originOf, type StripeDeps } from './stripe.context';
import { render } from './stripe.expand';
import { EXPAND, Params, type Shape } from './stripe.params';

const REFUND_SHAPE: Record<string, Shape> = {
  charge: 'string', payment_intent: 'string', amount: 'integer', metadata: 'metadata',
  reason: { enum: ['duplicate', 'fraudulent', 'requested_by_customer'] }, expand: EXPAND,
};

/** Every parameter shape these routes accept, by `METHOD path` as spec3.json names it. */
export const REFUND_SHAPES: Record<string, Record<string, Shape>> = { 'POST /v1/refunds': REFUND_SHAPE };

/** `/v1/refunds`: create (full or partial, never more than is left) and retrieve. */
export function refundRoutes(deps: StripeDeps, later: (ms: number, fn: () => void) => void): Router {
  const service = new RefundsService(deps, later);
  const r = express.Router();
  r.post('/', (_req, res) => {
    res.json(service.create(Params.parse(formOf(res), REFUND_SHAPE), originOf(res)));
  });
  r.get('/:id', (req, res) => {
    const p = Params.parse(formOf(res), { expand: EXPAND });
    res.json(render(deps.store, service.find(req.params.id), p.strings('expand')));
  });
  return r;
}
