import type { Knex } from '@mikro-orm/knex';
import express, { type Router } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../config/config';
import { metricsRoutes } from './metrics.routes';
import { serviceMetrics } from './metrics.service';

export interface MetricsEndpoint {
  /** Routers for the API's own port (none when METRICS=off or METRICS_PORT is set). */
  mounts: { path: string; router: Router }[];
  /** The METRICS_PORT server's port, when there is one. */
  port?: number;
  close(): Promise<void>;
}

/**
 * Where `GET /metrics` is served: on METRICS_PORT (its own server, not the public port) when set,
 * else on the API port, where production asks for the admin key so the figures are not public.
 */
/** What the endpoint is told by the service it measures. */
export interface MetricsWiring {
  /** Webhook inbox statuses that are not applied yet (the apply lag is the oldest of them). */
  pendingWebhookStatuses: readonly string[];
  /** Does this `Authorization` value carry the admin key? */
  isAdmin: (authorization: string | undefined) => boolean;
}

export async function startMetricsEndpoint(config: AppConfig, knex: Knex, wiring: MetricsWiring): Promise<MetricsEndpoint> {
  if (!config.metrics.enabled) return { mounts: [], close: async () => {} };
  const registry = serviceMetrics(knex, wiring.pendingWebhookStatuses);
  if (config.metrics.port === undefined) {
    const isAdmin = config.env === 'production' ? wiring.isAdmin : undefined;
    return { mounts: [{ path: '/', router: metricsRoutes(registry, isAdmin) }], close: async () => {} };
  }
  const app = express();
  app.disable('x-powered-by');
  app.use(metricsRoutes(registry));
  app.use((_req, res) => {
    res.status(404).json({ error: 'This port serves GET /metrics only' });
  });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.metrics.port, config.host, () => resolve());
  });
  return { mounts: [], port: (server.address() as AddressInfo).port, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
