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
  return buildSchemaSync({
    resolvers: RESOLVERS,
    pubSub,
    validate: false,
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    emitSchemaFile: false,
  });
}
