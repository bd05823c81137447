import type { GraphQLFormattedError } from 'graphql';
import type { AppServices } from '../graphql/app-services';
import { formatError } from '../graphql/error-formatter';

/** graphql-js appends `Did you mean "…"?` to unknown-field errors: a map of the schema for a prober. */
const SUGGESTION = /\s*Did you mean .+\?$/;

/**
 * The error formatting both transports use: the one error mapping (src/graphql/error-formatter),
 * schema suggestions removed in production, and only real faults logged at error level; client
 * mistakes (validation, bad input) are the client's business and are not.
 */
export function graphqlErrorFormatter(services: AppServices, transport: 'http' | 'ws') {
  const production = services.config.env === 'production';
  const logInternal = (e: unknown) => services.logger.error({ err: e, transport }, 'unexpected error in a GraphQL operation');
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = formatError(formatted, error, logInternal);
    return production ? { ...result, message: result.message.replace(SUGGESTION, '') } : result;
  };
}
