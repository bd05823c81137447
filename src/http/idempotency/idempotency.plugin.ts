import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { print } from 'graphql';
import type { AppServices } from '../../graphql/app-services';
import { AppError } from '../../domain/errors';
import { scopeIdempotencyKey, type ScopedIdempotencyKey } from '../../domain/idempotency/idempotency-key';
import { fingerprintRequest } from '../../domain/idempotency/request-fingerprint';
import { IdempotencySweeper } from '../../domain/services/idempotency-sweeper';
import type { GraphQLContext } from '../../graphql/context';
import { formatError } from '../../graphql/error-formatter';
import { keepsResponse } from './response-outcome';

/** The request header a client sends with a mutation (lower case, as Node and Apollo's HeaderMap hold it). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Set to `true` on a response that is a replay of the first one. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * `Idempotency-Key` on mutations (CONTRACT §2), as an Apollo plugin rather than an Express
 * middleware around the response: Apollo has already parsed and validated the request and chosen
 * the operation (so a query or subscription simply ignores the header, and a request that fails
 * validation never claims its key), the principal comes from the request's own context (one lookup),
 * and `willSendResponse` sees the original errors, so a definite decline is told apart from a
 * provider timeout. Replays are byte for byte: what is stored is the very result object Apollo
 * serializes, and a stored JSON text parses back to an object that serializes to the same text.
 * The response is stored before Apollo sends it, so a client that lost the answer finds it.
 *
 * The plugin also runs the background sweep of expired keys, started and stopped with the server.
 */
export function idempotencyPlugin(services: AppServices): ApolloServerPlugin<GraphQLContext> {
  const { idempotency, logger } = services;
  const sweeper = new IdempotencySweeper(idempotency, services.config.idempotency.ttlMs, (err) =>
    logger.error({ err }, 'sweeping expired idempotency keys failed; retrying at the next interval'),
  );
  return {
    async serverWillStart() {
      sweeper.start();
      return { serverWillStop: () => sweeper.stop() };
    },
    async requestDidStart({ request }) {
      const header = request.http?.headers.get(IDEMPOTENCY_KEY_HEADER);
      if (header === undefined) return;
      let held: { key: ScopedIdempotencyKey; claimId: string } | undefined;
      return {
        async responseForOperation({ operation, document, operationName, request: { variables }, contextValue }) {
          if (operation.operation !== 'mutation') return null;
          try {
            const key = scopeIdempotencyKey(header, await contextValue.principal(), bearerSecret(request.http?.headers.get('authorization')));
            const fingerprint = fingerprintRequest(key.fingerprintKey, `${operationName ?? ''}\n${print(document)}`, variables);
            const claim = await idempotency.claim(key, fingerprint);
            if (claim.kind === 'replay') return replay(claim.response.status, claim.response.body);
            held = { key, claimId: claim.claimId };
            return null;
          } catch (error) {
            if (error instanceof AppError) return refusal(error);
            throw error;
          }
        },
        async willSendResponse({ response, errors, operation, document }) {
          if (!held) return;
          const { key, claimId } = held;
          try {
            if (response.body.kind === 'single' && operation && keepsResponse(errors, operation, document!)) {
              // Apollo's own field order: the replayed object serializes to the very bytes sent now.
              const { errors: sent, data, extensions } = response.body.singleResult;
              const body = JSON.stringify({ errors: sent, data, extensions });
              if (!(await idempotency.complete(key, claimId, { status: response.http.status ?? 200, body }))) {
                logger.warn('an idempotency key expired while its request ran; the response was not stored');
              }
            } else {
              await idempotency.release(key, claimId);
            }
          } catch (err) {
            // The mutation already ran: answer it. The claim stays IN_PROGRESS until its lease ends.
            logger.error({ err }, 'storing the idempotent response failed');
          }
        },
      };
    },
  };
}

/** The secret of `Bearer <secret>` (already accepted by the principal lookup), or '' without one. */
function bearerSecret(authorization: string | undefined): string {
  return authorization?.trim().replace(/^Bearer\s+/i, '') ?? '';
}

function replay(status: number, body: string): GraphQLResponse {
  return { http: { status, headers: new HeaderMap([[REPLAYED_HEADER, 'true']]) }, body: { kind: 'single', singleResult: JSON.parse(body) } };
}

/** A key refused before anything ran, formatted by the one error mapping. IN_USE says when to come back. */
function refusal(error: AppError): GraphQLResponse {
  const inUse = error.details.reason === 'IDEMPOTENCY_KEY_IN_USE';
  const status = error.code === 'BAD_USER_INPUT' ? 400 : error.code === 'CONFLICT' ? 409 : 200;
  return {
    http: { status, headers: new HeaderMap(inUse ? [['retry-after', '1']] : []) },
    body: { kind: 'single', singleResult: { errors: [formatError({ message: error.message }, error)] } },
  };
}
