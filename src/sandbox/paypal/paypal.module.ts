import { Router } from 'express';
import type { ProviderModuleFactory } from '../core/sandbox.types';
import { createApiRouter } from './paypal.api.routes';
import { createAuthorizationControls } from './paypal.authorization.controls';
import { createAuthorizationsRouter } from './paypal.authorizations.routes';
import { AuthorizationsService } from './paypal.authorizations.service';
import { Reauthorizations } from './paypal.reauthorizations';
import { createCheckoutPageRouter } from './paypal.checkout.page';
import { createControlsRouter } from './paypal.controls.routes';
import { payPalErrorHandler } from './paypal.errors';
import { RequestIdStore } from './paypal.idempotency';
import { createCertRouter, createNotificationsRouter } from './paypal.notifications.routes';
import { createOAuthRouter, requireBearer } from './paypal.oauth';
import { OrdersService } from './paypal.orders.service';
import { PaymentsService } from './paypal.payments.service';
import { signingIdentity } from './paypal.signing';
import { PayPalState } from './paypal.state';

/** REST paths that need a bearer token and answer errors in PayPal's shape. */
const API_PATHS = ['/v2', '/v1/notifications/verify-webhook-signature'];
/** Where PayPal-shaped errors are rendered (the catch-all 404s included). */
const ERROR_PATHS = ['/v2', '/v1/notifications', '/v1/oauth2'];

/**
 * The PayPal half of the provider sandbox: OAuth, Orders v2, Payments v2,
 * webhook signing/verification and the hosted approval page on `router`;
 * test controls on `controls`. Every middleware is path-scoped, because the
 * core mounts the Stripe emulator on the same `/`.
 */
export const createPayPalModule: ProviderModuleFactory = (ctx) => {
  signingIdentity();
  const state = new PayPalState();
  const orders = new OrdersService(ctx, state);
  const payments = new PaymentsService(ctx, state);
  const authorizations = new AuthorizationsService(ctx, state);
  const reauthorizations = new Reauthorizations(ctx, state, authorizations);
  const requestIds = new RequestIdStore(state);

  const router = Router();
  router.use(createOAuthRouter(ctx, state));
  router.use(createCertRouter());
  router.use(API_PATHS, requireBearer(state));
  router.use(createNotificationsRouter(ctx, state));
  router.use(createAuthorizationsRouter({ ctx, orders, authorizations, reauthorizations, requestIds }));
  router.use(createApiRouter({ ctx, orders, payments, authorizations, requestIds }));
  router.use(createCheckoutPageRouter(orders));
  router.use(ERROR_PATHS, payPalErrorHandler('orders'));

  const controls = Router();
  controls.use(createAuthorizationControls(ctx, authorizations, reauthorizations));
  controls.use(createControlsRouter(ctx, state, orders, payments));
  return { router, controls };
};
