import 'reflect-metadata';
import { GraphQLDateTime } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import type { AppPubSub } from './pubsub';
import { RESOLVERS } from './resolvers';

/**
 * Builds the executable schema. Input checks live in the domain (with field paths),
 * so type-graphql's class-validator integration stays off. Output types declare
 * `simpleResolvers`: their fields are plain properties, read by graphql-js's default resolver
 * instead of a type-graphql wrapper per field (an order answer has hundreds of them).
 */
export function buildAppSchema(pubSub: AppPubSub): GraphQLSchema {
  const schema = buildSchemaSync({
    resolvers: RESOLVERS,
    pubSub,
    validate: false,
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    emitSchemaFile: false,
  });
  // type-graphql has no option for the root type's description; the type is fresh on every build.
  schema.getMutationType()!.description = MUTATION_DESCRIPTION;
  return schema;
}

const MUTATION_DESCRIPTION = [
  'Every mutation accepts an optional `Idempotency-Key` HTTP header (1–255 printable ASCII characters; at least 32 without an',
  'Authorization header; a random UUID per user action is right). For IDEMPOTENCY_TTL_HOURS (24 by default), the same key from',
  'the same caller with the same operation and variables returns the first response again, byte for byte, without running',
  'anything, marked `Idempotent-Replayed: true`. Other input under the key is CONFLICT with extensions.reason',
  'IDEMPOTENCY_KEY_REUSED; while the first request runs, CONFLICT with reason IDEMPOTENCY_KEY_IN_USE and `Retry-After: 1`.',
  'Responses failing with BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, CONFLICT or an internal error are not kept',
  '(fix and retry with the same key); a PROVIDER_ERROR decline is.',
].join(' ');
