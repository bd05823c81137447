import { unwrapResolverError } from '@apollo/server/errors';
import { Kind, type DocumentNode, type GraphQLError, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { ProviderError } from '../../domain/errors';

/**
 * Whether a mutation's response is kept for replays (issue 14, "Errors"). It is kept when the
 * mutation did something a repeat must not do again: a root field completed, or the provider
 * definitely refused (a decline is recorded; retrying must not charge again). It is not kept when
 * every root field failed without leaving anything behind: invalid input, UNAUTHENTICATED,
 * FORBIDDEN, NOT_FOUND, a CONFLICT that says "retry", an internal error, or a provider answer that
 * never came (its outcome unknown: the domain finishes it when the same request runs again).
 */
export function keepsResponse(errors: readonly GraphQLError[] | undefined, operation: OperationDefinitionNode, document: DocumentNode): boolean {
  if (!errors?.length) return true;
  if (errors.some((e) => isDecline(e))) return true;
  if (errors.some((e) => !e.path)) return false;
  const failedRoots = new Set(errors.filter((e) => e.path!.length === 1).map((e) => String(e.path![0])));
  return rootResponseKeys(operation.selectionSet, document).some((key) => !failedRoots.has(key));
}

function isDecline(error: GraphQLError): boolean {
  const original = unwrapResolverError(error);
  return original instanceof ProviderError && !original.retryable;
}

/** The response keys of the operation's root fields (aliases included, fragments followed). */
function rootResponseKeys(selectionSet: SelectionSetNode, document: DocumentNode): string[] {
  const keys: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) keys.push(selection.alias?.value ?? selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) keys.push(...rootResponseKeys(selection.selectionSet, document));
    else {
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) keys.push(...rootResponseKeys(fragment.selectionSet, document));
    }
  }
  return keys;
}
