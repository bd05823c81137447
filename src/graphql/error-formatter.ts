import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { AppError } from '../domain/errors';

/** Apollo/graphql-js codes that mean "the request itself is invalid". */
const INPUT_CODES = new Set(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_SUPPORTED']);

/**
 * The single mapping from errors to what clients see: typed AppErrors keep their code and
 * details, request errors become BAD_USER_INPUT, and anything else is an opaque
 * INTERNAL_SERVER_ERROR (logged by the caller) so no stack or internal message leaks.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, onInternal?: (e: unknown) => void): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof AppError) {
    return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
  }
  if (original instanceof ArgumentValidationError) {
    const first = original.extensions.validationErrors?.[0];
    return { ...base, extensions: { code: 'BAD_USER_INPUT', field: first?.property } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && INPUT_CODES.has(code)) {
    // `field`, when the edge named the input at fault (src/http/text-inputs.ts).
    const field = formatted.extensions?.field;
    return { ...base, extensions: { code: 'BAD_USER_INPUT', ...(typeof field === 'string' ? { field } : {}) } };
  }
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' || code === 'RATE_LIMITED') {
    return { ...base, extensions: { code } };
  }
  onInternal?.(original);
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
