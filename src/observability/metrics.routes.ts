import type { ServerResponse } from 'node:http';
import { Router, type RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { recordHttpRequest } from './metrics';
import { renderMetrics } from './metrics.service';

/**
 * `GET /metrics`. `isAdmin` set: the scraper must send `Authorization: Bearer <ADMIN_API_KEY>`
 * (production without METRICS_PORT, so the figures are not public).
 */
export function metricsRoutes(service: Registry, isAdmin?: (authorization: string | undefined) => boolean): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (isAdmin !== undefined && !isAdmin(req.headers.authorization)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'GET /metrics needs Authorization: Bearer <ADMIN_API_KEY> (or set METRICS_PORT)' });
      return;
    }
    const { contentType, body } = await renderMetrics(service);
    res.type(contentType).send(body);
  });
  return router;
}

/** The route label of a request: a fixed set, so ids in paths never become label values. */
export function routeLabel(path: string): string {
  if (path === '/graphql' || path === '/metrics' || path === '/healthz' || path === '/readyz') return path;
  if (path === '/webhooks/stripe' || path === '/webhooks/paypal') return path;
  if (path.startsWith('/webhooks/')) return '/webhooks/other';
  if (path === '/' || /\.(html|js|css|png|svg|ico)$/.test(path)) return 'static';
  return 'other';
}

/** Times every request by method, route label and status code. */
export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    countHttpRequest(req.method, req.originalUrl.split('?')[0], res);
    next();
  };
}

/** Records the request's duration and status once its response is sent (also for the plain node:http webhook ingest). */
export function countHttpRequest(method: string, path: string, res: ServerResponse): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => recordHttpRequest(method, routeLabel(path), res.statusCode, Number(process.hrtime.bigint() - started) / 1e9));
}
