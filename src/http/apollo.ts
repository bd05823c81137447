import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { GraphQLSchema } from 'graphql';
import type { Server } from 'node:http';
import type { AppServices } from '../app/services';
import type { GraphQLContext } from '../graphql/context';
import { formatError } from '../graphql/error-formatter';
import { complexityLimitPlugin, depthLimitRule } from './graphql-limits';
import { idempotencyPlugin } from './idempotency/idempotency.plugin';

/** Apollo Server with our limits, error mapping and drain-on-shutdown. */
export function createApollo(schema: GraphQLSchema, httpServer: Server, services: AppServices, onDispose: () => Promise<void>) {
  const { limits, env } = services.config;
  return new ApolloServer<GraphQLContext>({
    schema,
    validationRules: [depthLimitRule(limits.maxDepth)],
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT and closes everything in order; Apollo's own handler raced it and
    // left `close()` waiting forever outside NODE_ENV=test, so SIGTERM ended in the forced exit 1.
    stopOnTerminationSignals: false,
    introspection: env !== 'production',
    formatError: (formatted, error) =>
      formatError(formatted, error, (e) => services.logger.error({ err: e }, 'unexpected error in a GraphQL operation')),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      complexityLimitPlugin(schema, limits.maxComplexity),
      idempotencyPlugin(services),
      { async serverWillStart() { return { drainServer: onDispose }; } },
    ],
  });
}
