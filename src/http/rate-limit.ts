import type { RequestHandler } from 'express';
import { isAdminBearer } from '../domain/services/access-token';
import { clientKey, type ClientBudget } from './client-budget';

/** The RATE_LIMITED answer in GraphQL's error shape, with Retry-After. */
export function rateLimitedBody(budget: ClientBudget, retryAfterSeconds: number) {
  return { errors: [{ message: budget.message(retryAfterSeconds), extensions: { code: 'RATE_LIMITED', retryAfterSeconds } }] };
}

/**
 * One hit per /graphql request from the client's budget (keyed by IP; behind a loopback proxy, by
 * the forwarded address); the operation check adds one per further root field. Over budget → 429
 * RATE_LIMITED with Retry-After. Webhooks are not limited (a provider's delivery must never be
 * turned away), and neither is the admin key.
 */
export function graphqlRateLimit(budget: ClientBudget, adminApiKey: string): RequestHandler {
  return (req, res, next) => {
    if (!budget.enabled || isAdminBearer(req.headers.authorization, adminApiKey)) return next();
    budget.charge(clientKey(req.ip), 1).then((charge) => {
      if (charge.ok) return next();
      res.setHeader('Retry-After', String(charge.retryAfterSeconds));
      res.status(429).json(rateLimitedBody(budget, charge.retryAfterSeconds));
    }, next);
  };
}
