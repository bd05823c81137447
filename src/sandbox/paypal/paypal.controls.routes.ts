import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { SandboxContext } from '../core/sandbox.types';
import { PayPalApiError } from './paypal.errors';
import { ControlError, PayPalControls } from './paypal.controls.service';
import type { OrdersService } from './paypal.orders.service';
import type { PaymentsService } from './paypal.payments.service';
import type { PayPalState } from './paypal.state';
import { captureView, refundView } from './paypal.views';

type Json = Record<string, unknown>;

function body(req: Request): Json {
  return typeof req.body === 'object' && req.body !== null ? (req.body as Json) : {};
}

/**
 * Test-only controls under `/__sandbox/paypal/` (JSON in, JSON out):
 * - `GET stats` → `{tokensIssued, tokensActive, orders, captures, refunds, events}`
 * - `POST tokens/expire` → every issued token now answers 401 `invalid_token`
 * - `GET cert` → `{certUrl, webhookId}`; `GET events` → every event with the exact bytes posted
 * - `GET orders/:id` → `{record, order, approveUrl}`
 * - `POST orders/:id/approve {payer?}` → approve without the browser (`CHECKOUT.ORDER.APPROVED`)
 * - `POST orders/:id/next-capture {status: 'PENDING'|'DECLINED'}` → outcome of the next capture
 * - `POST orders/:id/mock {mock_application_codes}` → negative-testing code for the next capture
 * - `GET captures/:id`, `GET refunds/:id` → resources with `supplementary_data`
 * - `POST captures/:id/complete|deny` → settle a PENDING capture (`PAYMENT.CAPTURE.COMPLETED|DENIED`)
 * - `POST captures/:id/reverse` → reversal of what is left (`PAYMENT.CAPTURE.REVERSED`)
 * - `POST disputes {capture_id, reason?, amount?: {value}}` → `CUSTOMER.DISPUTE.CREATED`
 * - `POST disputes/:id/resolve {outcome: 'RESOLVED_SELLER_FAVOUR'|'RESOLVED_BUYER_FAVOUR'|…}` → `CUSTOMER.DISPUTE.RESOLVED`
 */
export function createControlsRouter(ctx: SandboxContext, state: PayPalState, orders: OrdersService, payments: PaymentsService): Router {
  const controls = new PayPalControls(ctx, state, orders, payments);
  const base = () => ctx.baseUrl();
  const id = (req: Request) => String(req.params.id);
  const router = Router();
  router.use(express.json());
  router.get('/stats', (_req, res) => res.json(controls.stats()));
  router.post('/tokens/expire', (_req, res) => res.json(controls.expireTokens()));
  router.get('/cert', (_req, res) => res.json(controls.cert()));
  router.get('/events', (_req, res) => res.json(controls.events()));
  router.get('/orders/:id', (req, res) => res.json(controls.orderDump(id(req))));
  router.post('/orders/:id/approve', (req, res) => res.json(controls.approve(id(req), body(req).payer)));
  router.post('/orders/:id/next-capture', (req, res) => res.json(controls.nextCapture(id(req), body(req).status)));
  router.post('/orders/:id/mock', (req, res) => res.json(controls.armMock(id(req), body(req).mock_application_codes)));
  router.get('/captures/:id', (req, res) => res.json(controls.captureView(req.params.id)));
  router.get('/refunds/:id', (req, res) => res.json(refundView(base(), payments.refund(id(req)), true)));
  router.post('/captures/:id/complete', (req, res) => res.json(captureView(base(), payments.settlePending(controls.capture(req.params.id), 'COMPLETED'), true)));
  router.post('/captures/:id/deny', (req, res) => res.json(captureView(base(), payments.settlePending(controls.capture(req.params.id), 'DECLINED'), true)));
  router.post('/captures/:id/reverse', (req, res) => res.json(refundView(base(), payments.reverse(controls.capture(req.params.id)), true)));
  router.post('/disputes', (req, res) => res.status(201).json(controls.openDispute(body(req))));
  router.post('/disputes/:id/resolve', (req, res) => res.json(controls.resolveDispute(id(req), body(req).outcome)));

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof ControlError) return void res.status(err.status).json({ error: err.message });
    if (err instanceof PayPalApiError) return void res.status(err.status).json(err.body());
    const parseFailed = typeof err === 'object' && err !== null && (err as { type?: string }).type === 'entity.parse.failed';
    res.status(parseFailed ? 400 : 500).json({ error: parseFailed ? 'Malformed JSON body' : String(err) });
  });
  return router;
}
