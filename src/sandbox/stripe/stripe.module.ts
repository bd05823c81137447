import { randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { apiProviderOf } from '../core/provider-paths';
import type { ProviderModuleFactory } from '../core/sandbox.types';
import { chargeRoutes } from './charges.routes';
import { checkoutPage } from './checkout.page';
import { CheckoutService } from './checkout.service';
import { checkoutSessionRoutes } from './checkout-sessions.routes';
import { paymentIntentRoutes } from './payment-intents.routes';
import { refundRoutes } from './refunds.routes';
import { stripeAuth } from './stripe.auth';
import type { StripeDeps } from './stripe.context';
import { moduleTimers } from './stripe.timers';
import { invalidRequest, stripeErrorHandler } from './stripe.errors';
import { SANDBOX_API_VERSION, StripeEvents } from './stripe.events';
import { parseForm } from './stripe.form';
import { idempotency } from './stripe.idempotency';
import { StripePayments } from './stripe.payments';
import { StripeStore } from './stripe.store';
import { stripeControls } from './stripe.controls';
import { threeDsPage } from './three-ds.page';

/** Stamp `request-id`/`Stripe-Version` and decode the form body or query string, as Stripe reads them. */
function stripeRequest(req: Request, res: Response, next: NextFunction): void {
  const requestId = `req_${randomBytes(7).toString('hex')}`;
  res.set({ 'request-id': requestId, 'Stripe-Version': req.get('Stripe-Version') ?? SANDBOX_API_VERSION });
  const raw = req.method === 'GET' || req.method === 'DELETE' ? (req.originalUrl.split('?')[1] ?? '') : typeof req.body === 'string' ? req.body : '';
  try {
    res.locals.form = parseForm(raw);
  } catch {
    return next(invalidRequest('Invalid request: the body could not be decoded as application/x-www-form-urlencoded.'));
  }
  res.locals.requestId = requestId;
  res.locals.origin = { requestId, idempotencyKey: req.get('Idempotency-Key') ?? null };
  next();
}

/** The Stripe emulator: `/v1/…` API (form bodies, Stripe errors, idempotency), hosted pages under `/stripe/…`. */
export const createStripeModule: ProviderModuleFactory = (ctx) => {
  const store = new StripeStore();
  const events = new StripeEvents(store, ctx);
  const deps: StripeDeps = { ctx, store, events, payments: new StripePayments(store, events, ctx) };
  const checkout = new CheckoutService(deps);
  const timers = moduleTimers();

  const api = express.Router();
  api.use((req, _res, next) => next(apiProviderOf(req.originalUrl.split('?')[0]) === 'stripe' ? undefined : 'router'));
  api.use(express.text({ type: () => true, limit: '1mb' }), stripeRequest, stripeAuth, idempotency());
  api.use('/v1/checkout/sessions', checkoutSessionRoutes(deps, checkout));
  api.use('/v1/payment_intents', paymentIntentRoutes(deps));
  api.use('/v1/refunds', refundRoutes(deps, timers.later));
  api.use('/v1', chargeRoutes(deps));
  api.use((req, _res, next) =>
    next(Object.assign(invalidRequest(`Unrecognized request URL (${req.method}: ${req.path}). This endpoint is not supported by the sandbox. Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`), { status: 404 })),
  );
  api.use(stripeErrorHandler);

  const router = express.Router();
  router.use(api);
  router.use('/stripe/checkout/pay', checkoutPage(deps, checkout));
  router.use('/stripe/3ds', threeDsPage(deps));
  return { router, controls: stripeControls(deps, checkout), close: timers.close };
};
