import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Server } from 'node:http';
import type { AppServices } from '../graphql/app-services';
import type { GraphQLContext } from '../graphql/context';
import { idempotencyPlugin } from './idempotency/idempotency.plugin';
import type { ClientBudget } from './client-budget';
import { graphqlErrorFormatter } from './graphql-errors';
import { graphqlObservabilityPlugin } from '../observability/graphql-observability.plugin';
import { documentLimits, rootFieldCount, tooManyMutations } from './graphql-limits';
import { nulInVariablesPlugin } from './text-inputs';

/**
 * Per operation, once it is known: at most GRAPHQL_MAX_MUTATIONS root mutation fields unless
 * admin, and every root field past the first charged to the client's budget (the middleware
 * charged the request itself), so 500 aliased fields are 500 operations, not one request.
 */
function operationLimitsPlugin(services: AppServices, budget: ClientBudget): ApolloServerPlugin<GraphQLContext> {
  const { maxMutations } = services.config.limits;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          if (!operation) return;
          const fields = rootFieldCount(document, operation);
          const over = operation.operation === 'mutation' && fields > maxMutations;
          if (!over && (fields <= 1 || !budget.enabled)) return;
          const admin = await contextValue.principal().then((p) => p.kind === 'admin', () => false);
          if (admin) return;
          if (over) throw tooManyMutations(fields, maxMutations);
          const charge = await budget.charge(contextValue.clientKey ?? 'unknown', fields - 1);
          if (!charge.ok) {
            throw new GraphQLError(budget.message(charge.retryAfterSeconds), {
              extensions: {
                code: 'RATE_LIMITED',
                retryAfterSeconds: charge.retryAfterSeconds,
                http: { status: 429, headers: new HeaderMap([['retry-after', String(charge.retryAfterSeconds)]]) },
              },
            });
          }
        },
      };
    },
  };
}

/** Apollo Server with the shared document limits, error mapping and drain-on-shutdown. */
export function createApollo(schema: GraphQLSchema, httpServer: Server, services: AppServices, budget: ClientBudget, onDispose: () => Promise<void>) {
  const { limits, env } = services.config;
  const document = documentLimits(limits, env === 'production');
  return new ApolloServer<GraphQLContext>({
    schema,
    parseOptions: document.parseOptions,
    validationRules: document.rules,
    // Introspection is refused by the shared rules in production (for WebSocket too); Apollo's own
    // switch would add the same rule a second time.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT and closes everything in order; Apollo's own handler raced it and
    // left `close()` waiting forever outside NODE_ENV=test, so SIGTERM ended in the forced exit 1.
    stopOnTerminationSignals: false,
    formatError: graphqlErrorFormatter(services, 'http'),
    plugins: [
      // In-flight requests get the whole grace; whatever is still running then is cut (and counted by the caller).
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: services.config.shutdownGraceMs }),
      // Apollo's landing pages load from a CDN; development serves GraphiQL from this origin instead (graphiql.routes.ts).
      ApolloServerPluginLandingPageDisabled(),
      // Nothing here is cacheable (orders are private, mutations move money), and Apollo's cache
      // hints wrap every field's resolver to collect them: about a tenth of an order(id)'s time.
      ApolloServerPluginCacheControlDisabled(),
      nulInVariablesPlugin<GraphQLContext>(),
      operationLimitsPlugin(services, budget),
      idempotencyPlugin(services),
      graphqlObservabilityPlugin(),
      { async serverWillStart() { return { drainServer: onDispose }; } },
    ],
  });
}
