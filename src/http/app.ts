import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { AppServices } from '../graphql/app-services';
import type { Orm } from '../db/orm';
import { createContext, type GraphQLContext } from '../graphql/context';
import { clientKey, type ClientBudget } from './client-budget';
import { healthRoutes } from './health.routes';
import { rejectBatchedIdempotentRequests } from './idempotency/batch-guard';
import type { InFlight } from './in-flight';
import { graphqlRateLimit } from './rate-limit';
import { requestErrorHandler } from './request-errors';
import { requestLog } from './request-log';
import { httpMetrics } from '../observability/metrics.routes';
import { httpTracing } from '../observability/tracing.hooks';

/**
 * nosniff, frame and referrer policies everywhere; HSTS only in production (it pins browsers to
 * https for a year, which a developer's http://localhost must not get). The storefront sets its CSP.
 */
export const securityHeaderOptions = (production: boolean): Parameters<typeof helmet>[0] => ({
  contentSecurityPolicy: false,
  strictTransportSecurity: production ? { maxAge: 31_536_000 } : false,
});

/** Extra routers mounted beside GraphQL (webhooks, storefront), in order. */
export type RouteMount = { path: string; router: Router };

/** The Express app: security headers, health, raw-body routes first, then JSON GraphQL with a body limit, then a JSON 404. */
export function createExpressApp(
  apollo: ApolloServer<GraphQLContext>,
  services: AppServices,
  orm: Orm,
  mounts: RouteMount[],
  { budget, inFlight }: { budget: ClientBudget; inFlight: InFlight },
): Express {
  const { maxBodyBytes } = services.config.limits;
  const production = services.config.env === 'production';
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(httpTracing());
  app.use(inFlight.middleware());
  app.use(requestLog(services.logger));
  app.use(httpMetrics());
  app.use(helmet(securityHeaderOptions(production)));
  app.use(healthRoutes(orm, () => services.webhooks.canStore()));
  for (const mount of mounts) app.use(mount.path, mount.router);
  app.use(
    '/graphql',
    cors({
      origin: services.config.corsOrigins,
      allowedHeaders: ['content-type', 'authorization', 'apollo-require-preflight', 'paypal-mock-response', 'idempotency-key'],
      exposedHeaders: ['Idempotent-Replayed', 'Retry-After'],
      methods: ['GET', 'POST'],
      maxAge: 600,
    }),
    graphqlRateLimit(budget, services.config.adminApiKey),
    express.json({ limit: maxBodyBytes }),
    rejectBatchedIdempotentRequests(),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        createContext(services, req.headers.authorization, { 'paypal-mock-response': req.header('paypal-mock-response') }, clientKey(req.ip)),
    }),
  );
  app.use((req, res) => {
    res.status(404).json({ error: `No route for ${req.method} ${req.originalUrl.split('?')[0].slice(0, 200)}` });
  });
  app.use(requestErrorHandler(services.logger, maxBodyBytes));
  return app;
}
