import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  type DocumentNode,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { LimitsConfig } from '../config/config';
import { noNulInStringLiterals } from './text-inputs';

/**
 * The one set of document limits for HTTP and graphql-ws. The counting is graphql-armor's, which
 * visits each fragment once and remembers its figure, so nested or cyclic fragments cost linear
 * time (graphql-depth-limit re-walked every spread: 25 nested fragments took seconds).
 */
export interface DocumentLimits {
  /** graphql-js stops parsing after this many tokens, before building a large AST. */
  parseOptions: ParseOptions;
  /** graphql's own rules are not included (Apollo adds them itself). */
  rules: ValidationRule[];
}

type Reject = (context: ValidationContext | null, error: GraphQLError) => void;

/** armor's messages end with "found N."; ours say what the limit is about and how to change it. */
function reportAs(message: (found: string) => string): Reject[] {
  return [
    (context, error) => {
      const found = /found (\d+(?:\.\d+)?)/.exec(error.message)?.[1] ?? '?';
      context?.reportError(new GraphQLError(message(String(Math.ceil(Number(found)) || found))));
    },
  ];
}

export function documentLimits(limits: LimitsConfig, production: boolean): DocumentLimits {
  const common = { propagateOnRejection: false, exposeLimits: true } as const;
  const rules: ValidationRule[] = [
    // armor counts the root field as depth 1; GRAPHQL_MAX_DEPTH has always counted it as 0.
    maxDepthRule({
      ...common,
      n: limits.maxDepth + 1,
      flattenFragments: true,
      onReject: reportAs((found) => `Query exceeds maximum operation depth of ${limits.maxDepth} (found ${Number(found) - 1}; GRAPHQL_MAX_DEPTH)`),
    }),
    maxAliasesRule({
      ...common,
      n: limits.maxAliases,
      onReject: reportAs((found) => `Query has ${found} aliases; at most ${limits.maxAliases} are allowed (GRAPHQL_MAX_ALIASES)`),
    }),
    maxDirectivesRule({
      ...common,
      n: limits.maxDirectives,
      onReject: reportAs((found) => `Query has ${found} directives; at most ${limits.maxDirectives} are allowed (GRAPHQL_MAX_DIRECTIVES)`),
    }),
    costLimitRule({
      ...common,
      maxCost: limits.maxComplexity,
      flattenFragments: true,
      onReject: reportAs((found) => `Query is too complex: cost ${found} exceeds the maximum of ${limits.maxComplexity} (GRAPHQL_MAX_COMPLEXITY)`),
    }),
    noNulInStringLiterals,
  ];
  // The schema is public in development; in production a client has no business reading it.
  if (production) rules.push(NoSchemaIntrospectionCustomRule);
  return { parseOptions: { maxTokens: limits.maxTokens }, rules };
}

/** graphql's specified rules followed by ours: what a transport without Apollo validates with. */
export function allRules(limits: DocumentLimits): ValidationRule[] {
  return [...specifiedRules, ...limits.rules];
}

/** How many root fields an operation selects (fragments and inline fragments on the root type included). */
export function rootFieldCount(document: DocumentNode, operation: OperationDefinitionNode): number {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const seen = new Set<string>();
  const count = (set: SelectionSetNode): number =>
    set.selections.reduce((sum, s) => {
      if (s.kind === Kind.FIELD) return sum + (s.name.value === '__typename' ? 0 : 1);
      if (s.kind === Kind.INLINE_FRAGMENT) return sum + count(s.selectionSet);
      const fragment = fragments.get(s.name.value);
      if (!fragment || seen.has(s.name.value)) return sum;
      seen.add(s.name.value);
      return sum + count(fragment.selectionSet);
    }, 0);
  return count(operation.selectionSet);
}

/** The refusal for a request carrying more mutations than allowed (each may move money or create records). */
export function tooManyMutations(count: number, max: number): GraphQLError {
  return new GraphQLError(`A request may run at most ${max} mutation${max === 1 ? '' : 's'} (this one has ${count}); send them one by one (GRAPHQL_MAX_MUTATIONS)`, {
    extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
  });
}
