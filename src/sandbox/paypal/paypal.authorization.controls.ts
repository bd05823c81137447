import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { SandboxContext } from '../core/sandbox.types';
import { PayPalApiError } from './paypal.errors';
import { authorizationView } from './paypal.authorization.views';
import type { AuthorizationsService } from './paypal.authorizations.service';
import type { Reauthorizations } from './paypal.reauthorizations';

/**
 * Test-only controls for authorizations under `/__sandbox/paypal/` (JSON in, JSON out):
 * - `GET authorizations?order_id=…` → `{data: [...]}`, the authorizations of one order (all without it)
 * - `GET authorizations/:id` → the authorization with `supplementary_data`
 * - `POST authorizations/:id/expire {}` → its 29-day period ends now: VOIDED with `expiration_time`
 *   passed (`PAYMENT.AUTHORIZATION.VOIDED`); captures then answer AUTHORIZATION_EXPIRED
 * - `POST authorizations/:id/end-honor-period {}` → its 3-day honor period ends now:
 *   `{authorization, honor_period_end}`; reauthorize is then allowed, captures still work until expiry
 */
export function createAuthorizationControls(ctx: SandboxContext, authorizations: AuthorizationsService, reauthorizations: Reauthorizations): Router {
  const router = Router();
  router.use('/authorizations', express.json());
  router.get('/authorizations', (req, res) => {
    const orderId = typeof req.query.order_id === 'string' ? req.query.order_id : undefined;
    res.json({ data: authorizations.all().filter((a) => !orderId || a.orderId === orderId).map((a) => authorizationView(ctx.baseUrl(), a, true)) });
  });
  router.get('/authorizations/:id', (req, res) => res.json(authorizationView(ctx.baseUrl(), authorizations.get(String(req.params.id)), true)));
  router.post('/authorizations/:id/expire', (req, res) => res.json(authorizationView(ctx.baseUrl(), authorizations.expire(authorizations.get(String(req.params.id))), true)));
  router.post('/authorizations/:id/end-honor-period', (req, res) => {
    const auth = reauthorizations.endHonorPeriod(authorizations.get(String(req.params.id)));
    res.json({ authorization: authorizationView(ctx.baseUrl(), auth, true), honor_period_end: auth.honorPeriodEnd });
  });
  router.use('/authorizations', (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent || !(err instanceof PayPalApiError)) return next(err);
    res.status(err.status).json(err.body());
  });
  return router;
}
