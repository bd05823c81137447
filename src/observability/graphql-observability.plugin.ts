import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { recordGraphqlOperation } from './metrics';
import { tracingActive } from './tracing';

/** The first root field's name: schema-defined, so a bounded label (a client's operation name is not). */
function rootField(operation: OperationDefinitionNode | null | undefined): string {
  const first = operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return first && first.kind === Kind.FIELD ? first.name.value : 'unknown';
}

/**
 * Times each GraphQL request over HTTP by operation type, root field and outcome (OK or the first
 * error's code) and, when tracing, names the request's span after the operation.
 */
export function graphqlObservabilityPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      const span = tracingActive() ? trace.getActiveSpan() : undefined;
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!span || !operation) return;
          span.updateName(`${operation.operation} ${rootField(operation)}`);
          span.setAttributes({ 'graphql.operation.type': operation.operation, 'graphql.operation.name': operationName ?? '', 'graphql.root_field': rootField(operation) });
        },
        async willSendResponse({ operation, errors, response }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          // The formatted errors carry the mapped code; the raw ones may not have it yet.
          const firstError = body?.errors?.[0] ?? errors?.[0];
          const code = firstError ? String(firstError.extensions?.code ?? 'INTERNAL_SERVER_ERROR') : 'OK';
          recordGraphqlOperation(operation?.operation ?? 'invalid', rootField(operation), code, Number(process.hrtime.bigint() - started) / 1e9);
          if (span && firstError) {
            span.setAttribute('graphql.error.code', code);
            span.setStatus({ code: SpanStatusCode.ERROR, message: code });
          }
        },
      };
    },
  };
}
