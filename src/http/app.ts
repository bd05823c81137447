import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express, { type Express, type Router } from 'express';
import type { AppServices } from '../app/services';
import type { Orm } from '../db/orm';
import { createContext, type GraphQLContext } from '../graphql/context';
import { healthRoutes } from './health.routes';
import { rejectBatchedIdempotentRequests } from './idempotency/batch-guard';
import { graphqlRateLimit } from './rate-limit';
import { requestErrorHandler } from './request-errors';
import { requestLog } from './request-log';

/** Extra routers mounted beside GraphQL (webhooks, storefront), in order. */
export type RouteMount = { path: string; router: Router };

/** The Express app: health, raw-body routes first, then JSON GraphQL with a body limit. */
export function createExpressApp(apollo: ApolloServer<GraphQLContext>, services: AppServices, orm: Orm, mounts: RouteMount[]): Express {
  const { maxBodyBytes } = services.config.limits;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLog(services.logger));
  app.use(healthRoutes(orm));
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
    graphqlRateLimit(services.config.limits.requestsPerMinute, services.config.adminApiKey),
    express.json({ limit: maxBodyBytes }),
    rejectBatchedIdempotentRequests(),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        createContext(services, req.headers.authorization, { 'paypal-mock-response': req.header('paypal-mock-response') }),
    }),
  );
  app.use(requestErrorHandler(services.logger, maxBodyBytes));
  return app;
}
