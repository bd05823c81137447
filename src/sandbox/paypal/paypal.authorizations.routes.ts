import express, { Router, type Request, type Response } from 'express';
import type { SandboxContext } from '../core/sandbox.types';
import { parseAuthorizationCapture } from './paypal.authorization-capture-request';
import { authorizationView } from './paypal.authorization.views';
import type { AuthorizationsService } from './paypal.authorizations.service';
import { parseReauthorize, type Reauthorizations } from './paypal.reauthorizations';
import type { RequestIdStore } from './paypal.idempotency';
import { mockCodeFromHeader, mockError } from './paypal.mock-codes';
import type { OrdersService } from './paypal.orders.service';
import { approveUrl, captureView, minimalCaptureView, wantsRepresentation } from './paypal.views';

export interface AuthorizationRouteDeps {
  ctx: SandboxContext;
  orders: OrdersService;
  authorizations: AuthorizationsService;
  reauthorizations: Reauthorizations;
  requestIds: RequestIdStore;
}

const id = (req: Request) => String(req.params.id);

/**
 * intent=AUTHORIZE routes: Orders v2 authorize and Payments v2 authorizations (show, capture,
 * void, reauthorize). Mounted before the Orders/Payments router, whose catch-alls answer everything else.
 */
export function createAuthorizationsRouter({ ctx, orders, authorizations, reauthorizations, requestIds }: AuthorizationRouteDeps): Router {
  const router = Router();
  router.use('/v2', express.json({ type: () => true, strict: false }));

  router.post('/v2/checkout/orders/:id/authorize', (req: Request, res: Response) => {
    const scope = `authorize:${id(req)}`;
    // A replayed authorize answers 200, a first one 201 (Orders v2 spec).
    if (requestIds.replay(scope, req, res, 200)) return;
    const order = orders.get(id(req));
    requestIds.remembering(scope, req, res, () => {
      // Negative testing as for capture (PayPal documents the same decline codes for authorize).
      const mock = mockCodeFromHeader(req, 'orders');
      if (mock !== undefined) throw mockError('capture', mock, 'orders', approveUrl(ctx.baseUrl(), order.id));
      authorizations.authorize(order);
      const captures = orders.capturesOf(order);
      const body = wantsRepresentation(req.header('Prefer')) ? authorizations.orderWith(order, captures) : minimalCaptureView(ctx.baseUrl(), order, captures, authorizations.of(order));
      requestIds.respond(scope, req, res, 201, body);
    });
  });

  router.get('/v2/payments/authorizations/:id', (req: Request, res: Response) => {
    res.status(200).json(authorizationView(ctx.baseUrl(), authorizations.get(id(req)), true));
  });

  router.post('/v2/payments/authorizations/:id/capture', (req: Request, res: Response) => {
    const scope = `auth-capture:${id(req)}`;
    if (requestIds.replay(scope, req, res, 201)) return;
    const auth = authorizations.get(id(req));
    requestIds.remembering(scope, req, res, () => {
      const capture = authorizations.capture(auth, parseAuthorizationCapture(req.body, auth.currency));
      const full = captureView(ctx.baseUrl(), capture, true);
      // Prefer defaults to return=minimal: id, status and links only.
      requestIds.respond(scope, req, res, 201, wantsRepresentation(req.header('Prefer')) ? full : { id: full.id, status: full.status, links: full.links });
    });
  });

  router.post('/v2/payments/authorizations/:id/reauthorize', (req: Request, res: Response) => {
    const scope = `reauthorize:${id(req)}`;
    if (requestIds.replay(scope, req, res, 201)) return;
    const auth = authorizations.get(id(req));
    requestIds.remembering(scope, req, res, () => {
      const renewed = reauthorizations.reauthorize(auth, parseReauthorize(req.body, auth.currency));
      const full = authorizationView(ctx.baseUrl(), renewed, true);
      // Prefer defaults to return=minimal: id, status and links only.
      requestIds.respond(scope, req, res, 201, wantsRepresentation(req.header('Prefer')) ? full : { id: full.id, status: full.status, links: full.links });
    });
  });

  router.post('/v2/payments/authorizations/:id/void', (req: Request, res: Response) => {
    const auth = authorizations.void(authorizations.get(id(req)));
    // Payments v2: 204 No Content under return=minimal (the default), 200 with the authorization under return=representation.
    if (wantsRepresentation(req.header('Prefer'))) res.status(200).json(authorizationView(ctx.baseUrl(), auth, true));
    else res.status(204).end();
  });
  return router;
}
