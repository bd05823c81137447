import { GraphQLError, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { AppServices } from '../app/services';
import { AppError } from '../domain/errors';
import { createContext } from '../graphql/context';
import { formatError } from '../graphql/error-formatter';
import { depthLimitRule } from './graphql-limits';

/**
 * graphql-ws on the same HTTP server and path as GraphQL. The connection's `authorization`
 * param is checked at connect time (a bad one closes with 4403 Forbidden) and then
 * authorises each subscription exactly as the HTTP header does.
 */
export function attachSubscriptions(httpServer: Server, schema: GraphQLSchema, services: AppServices) {
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: services.config.limits.maxBodyBytes });
  const rules = [...specifiedRules, depthLimitRule(services.config.limits.maxDepth)];
  const log = (e: unknown) => services.logger.error({ err: e }, 'unexpected error in a subscription');
  const format = (e: GraphQLError) => formatError(e.toJSON(), e.originalError ?? e, log);
  const disposable = useServer<Record<string, unknown>>(
    {
      schema,
      validate: (s, document) => validate(s, document, rules),
      onConnect: async (ctx) => {
        try {
          await services.authz.principalFrom(ctx.connectionParams?.authorization);
          return true;
        } catch (error) {
          if (error instanceof AppError) return false;
          throw error;
        }
      },
      context: (ctx) => createContext(services, ctx.connectionParams?.authorization),
      onError: (_ctx, _id, _payload, errors) => errors.map(format),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: result.errors.map((e) => new GraphQLError(format(e).message, { extensions: format(e).extensions })) } : result,
    },
    wss,
  );
  return {
    /** Closes every socket (clients see 1001 Going Away) and stops accepting new ones. */
    async close(): Promise<void> {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
