import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * U+0000 in a text input is refused at the GraphQL edge, on both transports: PostgreSQL's `text`
 * cannot hold it (the statement fails), SQLite's SQL text ends at it (MikroORM writes values into
 * the SQL), and no identifier, email, URL or reason of ours contains it. Refused here, it is the
 * client's BAD_USER_INPUT naming where it was, not an internal error from the database.
 */
const NUL = '\u0000';
const WHY = 'contains the NUL character (U+0000), which no text input accepts';

/** The first string in the request's variables that holds a NUL, as a BAD_USER_INPUT error (400 over HTTP), or undefined. */
export function nulInVariables(variables: Readonly<Record<string, unknown>> | null | undefined): GraphQLError | undefined {
  if (!variables) return undefined;
  for (const [name, value] of Object.entries(variables)) {
    const path = pathToNul(value, name);
    if (path !== undefined) {
      return new GraphQLError(`$${path} ${WHY}`, { extensions: { code: 'BAD_USER_INPUT', field: path, http: { status: 400 } } });
    }
  }
  return undefined;
}

/** `input.items[1].sku` for a NUL at that place in a JSON value; undefined when there is none. */
function pathToNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = pathToNul(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = pathToNul(inner, `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The same for string literals written in the document (validated once per document, then cached by Apollo). */
export const noNulInStringLiterals: ValidationRule = (context) => ({
  StringValue(node) {
    if (node.value.includes(NUL)) context.reportError(new GraphQLError(`A string literal ${WHY}`, { nodes: node }));
  },
});

/** Over HTTP: the variables are checked once the operation is known, before anything runs (idempotency keys included). */
export function nulInVariablesPlugin<Context extends object>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request }) {
          const error = nulInVariables(request.variables);
          if (error) throw error;
        },
      };
    },
  };
}
