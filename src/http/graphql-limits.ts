import type { ApolloServerPlugin } from '@apollo/server';
import depthLimit from 'graphql-depth-limit';
import { GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

/** Refuses documents nested deeper than `maxDepth` (a validation rule, so it runs before any resolver). */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return depthLimit(maxDepth);
}

/** Refuses operations whose estimated cost (list sizes multiply) exceeds `max`, with the figure in the message. */
export function complexityLimitPlugin(schema: GraphQLSchema, max: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              operationName: request.operationName,
              variables: request.variables,
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (error) {
            // Estimating coerces the variables first; a bad variable is the client's error, said as graphql-js says it.
            if (error instanceof GraphQLError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
            throw error;
          }
          if (complexity > max) {
            throw new GraphQLError(`Query is too complex: cost ${complexity} exceeds the maximum of ${max}`, {
              extensions: { code: 'BAD_USER_INPUT', complexity, maxComplexity: max, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
