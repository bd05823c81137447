import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { recordGraphqlOperation } from './metrics';

/** The first root field's name: schema-defined, so a bounded label (a client's operation name is not). */
function rootField(operation: OperationDefinitionNode | null | undefined): string {
  const first = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return first && first.kind === Kind.FIELD ? first.name.value : 'unknown';
}

/** Times each GraphQL request over HTTP by operation type, root field and outcome (OK or the first error's code). */
export function graphqlMetricsPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, errors, response }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          // The formatted errors carry the mapped code; the raw ones may not have it yet.
          const firstError = body?.errors?.[0] ?? errors?.[0];
          const code = firstError ? String(firstError.extensions?.code ?? 'INTERNAL_SERVER_ERROR') : 'OK';
          recordGraphqlOperation(operation?.operation ?? 'invalid', rootField(operation), code, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
