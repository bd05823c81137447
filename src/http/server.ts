import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import type { Orm } from '../db/orm';
import type { AppServices } from '../graphql/app-services';
import { createApollo } from './apollo';
import { createExpressApp, securityHeaderOptions, type RouteMount } from './app';
import { ClientBudget } from './client-budget';
import { graphiqlRoutes } from './graphiql.routes';
import { InFlight } from './in-flight';
import { storefrontRoutes } from './storefront.routes';
import { webhookIngest } from './webhook-ingest';
import { webhookRoutes } from './webhook.routes';
import { attachSubscriptions } from './ws';

/** The API serving on its port: GraphQL (HTTP and WebSocket), webhooks, health, storefront. */
export interface ServingApi {
  readonly url: string;
  readonly port: number;
  /** Stops taking requests and lets the ones in flight finish within the shutdown grace. */
  stop(): Promise<void>;
  /** Requests still running when the grace ran out. */
  cutRequests(): number;
}

/**
 * Serves `services` on config.port: Apollo and graphql-ws on one node:http server, webhook
 * deliveries with a Content-Length on the plain ingest path, everything else through Express.
 * `mounts` go first (the metrics route on the API port).
 */
export async function serveApi(services: AppServices, orm: Orm, schema: GraphQLSchema, mounts: RouteMount[]): Promise<ServingApi> {
  const { config } = services;
  const httpServer = createServer();
  const budget = new ClientBudget(config.limits.requestsPerMinute);
  const inFlight = new InFlight();
  const subscriptions = attachSubscriptions(httpServer, schema, services, budget);
  const apollo = createApollo(schema, httpServer, services, budget, () => subscriptions.close());
  await apollo.start();
  const app = createExpressApp(apollo, services, orm, [
    ...mounts,
    // Offline GraphiQL replaces Apollo's CDN-hosted landing page, outside production only.
    ...(config.env === 'production' ? [] : [{ path: '/', router: graphiqlRoutes(config.adminApiKey) }]),
    { path: '/webhooks', router: webhookRoutes(services) },
    ...(config.storefront ? [{ path: '/', router: storefrontRoutes() }] : []),
  ], { budget, inFlight });
  const ingest = webhookIngest(services, inFlight, securityHeaderOptions(config.env === 'production'));
  httpServer.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!ingest(req, res)) void app(req, res);
  });
  await listen(httpServer, config.port, config.host);
  const port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`,
    port,
    stop: async () => {
      inFlight.beginShutdown();
      await apollo.stop();
      budget.shutdown();
    },
    cutRequests: () => inFlight.cut,
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
