import express, { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../core/sandbox.types';
import { PayPalApiError } from './paypal.errors';
import type { RequestIdStore } from './paypal.idempotency';
import { mockCodeFromHeader, mockError } from './paypal.mock-codes';
import { parseCreateOrder } from './paypal.order-request';
import type { AuthorizationsService } from './paypal.authorizations.service';
import type { OrdersService } from './paypal.orders.service';
import type { PaymentsService } from './paypal.payments.service';
import { parseRefund } from './paypal.refund-request';
import { captureView, minimalCaptureView, minimalCreateView, orderView, refundView, wantsRepresentation } from './paypal.views';

/** Services the REST routes delegate to. */
export interface ApiDeps {
  ctx: SandboxContext;
  orders: OrdersService;
  payments: PaymentsService;
  authorizations: AuthorizationsService;
  requestIds: RequestIdStore;
}

function param(req: Request, name: string): string {
  return String(req.params[name]);
}

/**
 * Orders v2 and Payments v2 routes. Each handler: replay a known
 * `PayPal-Request-Id`, validate, call one service method, render.
 */
export function createApiRouter({ ctx, orders, payments, authorizations, requestIds }: ApiDeps): Router {
  const router = Router();
  // PayPal parses JSON whatever the declared type; an empty body is "no body".
  // Scoped to /v2 so Stripe's form-encoded /v1 traffic on the same server is never touched.
  router.use('/v2', express.json({ type: () => true, strict: false }));

  router.post('/v2/checkout/orders', (req: Request, res: Response) => {
    if (requestIds.replay('create', req, res, 200)) return;
    requestIds.remembering('create', req, res, () => {
      const mock = mockCodeFromHeader(req, 'orders');
      if (mock !== undefined) throw mockError('create', mock, 'orders');
      const order = orders.create(parseCreateOrder(req.body));
      const body = wantsRepresentation(req.header('Prefer')) ? orderView(ctx.baseUrl(), order, []) : minimalCreateView(ctx.baseUrl(), order);
      requestIds.respond('create', req, res, 201, body);
    });
  });

  router.get('/v2/checkout/orders/:id', (req: Request, res: Response) => {
    const order = orders.get(param(req, 'id'));
    res.status(200).json(orderView(ctx.baseUrl(), order, orders.capturesOf(order), payments.refundsOfOrder(order.id), authorizations.of(order)));
  });

  router.patch('/v2/checkout/orders/:id', () => {
    throw new PayPalApiError(400, [{ issue: 'NOT_SUPPORTED', description: 'Updating an order (PATCH) is not supported by the sandbox.' }], 'orders', [], 'Updating an order (PATCH) is not supported by the sandbox.');
  });

  router.post('/v2/checkout/orders/:id/capture', (req: Request, res: Response) => {
    const scope = `capture:${param(req, 'id')}`;
    if (requestIds.replay(scope, req, res, 200)) return;
    const order = orders.get(param(req, 'id'));
    if (req.body !== undefined && (typeof req.body !== 'object' || req.body === null || 'payment_source' in req.body)) {
      throw new PayPalApiError(400, [{ field: '/payment_source', location: 'body', issue: 'NOT_SUPPORTED', description: 'A capture request with a payment_source is not supported by the sandbox; send {} or no body.' }], 'orders', [], 'A capture request with a payment_source is not supported by the sandbox.');
    }
    requestIds.remembering(scope, req, res, () => {
      orders.capture(order, mockCodeFromHeader(req, 'orders'));
      const captures = orders.capturesOf(order);
      const body = wantsRepresentation(req.header('Prefer')) ? orderView(ctx.baseUrl(), order, captures) : minimalCaptureView(ctx.baseUrl(), order, captures);
      requestIds.respond(scope, req, res, 201, body);
    });
  });

  router.post('/v2/checkout/orders/:id/:action', (req: Request) => {
    throw new PayPalApiError(400, [{ issue: 'NOT_SUPPORTED', description: `POST /v2/checkout/orders/{id}/${param(req, 'action')} is not supported by the sandbox.` }], 'orders', [], `Orders ${param(req, 'action')} is not supported by the sandbox.`);
  });

  router.get('/v2/payments/captures/:id', (req: Request, res: Response) => {
    res.status(200).json(captureView(ctx.baseUrl(), payments.capture(param(req, 'id')), true));
  });

  router.post('/v2/payments/captures/:id/refund', (req: Request, res: Response) => {
    const scope = `refund:${param(req, 'id')}`;
    if (requestIds.replay(scope, req, res, 201)) return;
    const capture = payments.capture(param(req, 'id'));
    requestIds.remembering(scope, req, res, () => {
      const input = parseRefund(req.body, capture.currency);
      const refund = payments.refundCapture(capture, input, mockCodeFromHeader(req, 'payments'));
      // Prefer defaults to return=minimal here too: id, status and links only (Payments v2 spec).
      const full = refundView(ctx.baseUrl(), refund, false);
      const body = wantsRepresentation(req.header('Prefer')) ? full : { id: full.id, status: full.status, links: full.links };
      requestIds.respond(scope, req, res, 201, body);
    });
  });

  router.get('/v2/payments/refunds/:id', (req: Request, res: Response) => {
    res.status(200).json(refundView(ctx.baseUrl(), payments.refund(param(req, 'id')), false));
  });

  router.all('/v2/payments/authorizations/*rest', (req: Request) => {
    throw new PayPalApiError(400, [{ issue: 'NOT_SUPPORTED', description: `${req.method} ${req.path} is not supported by the sandbox.` }], 'payments', [], `${req.method} ${req.path} is not supported by the sandbox.`);
  });

  // Anything else under PayPal's prefixes is a path PayPal does not have (or the sandbox does not emulate).
  router.all(['/v2/*rest', '/v1/notifications/*rest', '/v1/oauth2/*rest'], (req: Request) => {
    throw new PayPalApiError(404, [{ issue: 'INVALID_RESOURCE_ID', location: 'path', value: req.path, description: `${req.method} ${req.path} does not exist or is not supported by the sandbox.` }], 'orders');
  });
  return router;
}
