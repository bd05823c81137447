import 'reflect-metadata';
import { GraphQLDateTime } from 'graphql-scalars';
import type { GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import type { AppPubSub } from './pubsub';
import { RESOLVERS } from './resolvers';

/**
 * Builds the executable schema. Input checks live in the domain (with field paths),
 * so type-graphql's class-validator integration stays off.
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
