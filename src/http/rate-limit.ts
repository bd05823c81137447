import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { secretsEqual } from '../domain/services/access-token';

/**
 * Per-client request budget for /graphql (keyed by IP; behind a loopback proxy, by the
 * forwarded address). Over budget → 429 in GraphQL's error shape with code RATE_LIMITED and
 * Retry-After. Webhooks are not limited (a provider's delivery must never be turned away), and
 * neither is the admin key (operator tooling).
 */
export function graphqlRateLimit(requestsPerMinute: number, adminApiKey: string): RequestHandler {
  if (requestsPerMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: requestsPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (req) => {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      return bearer !== undefined && secretsEqual(bearer, adminApiKey);
    },
    handler: (_req, res) => {
      const retryAfter = Number(res.getHeader('retry-after')) || 60;
      res.status(429).json({
        errors: [
          {
            message: `Too many requests: at most ${requestsPerMinute} requests per minute from one client; retry in ${retryAfter} s`,
            extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter },
          },
        ],
      });
    },
  });
}
