import { getOperationAST, GraphQLError, parse, validate, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import type { Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { AppServices } from '../graphql/app-services';
import { AppError } from '../domain/errors';
import type { Principal } from '../domain/services/principal';
import { createContext } from '../graphql/context';
import { clientKeyOf, type ClientBudget } from './client-budget';
import { graphqlErrorFormatter } from './graphql-errors';
import { allRules, documentLimits, rootFieldCount, tooManyMutations } from './graphql-limits';
import { nulInVariables } from './text-inputs';
import { trackSubscriptions } from '../observability/metrics';

/** Close codes of our own (graphql-ws reserves 4400–4499 for the protocol's). */
export const WsCloseCode = { AnonymousTimeout: 4001 } as const;

/** What we keep per connection beside graphql-ws's own context. */
type ConnectionState = { principal: Principal; clientKey: string };
type WsContext = Context<Record<string, unknown>, Extra & { state?: ConnectionState }>;

function clientError(message: string, code: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/**
 * graphql-ws on the same HTTP server and path as GraphQL, behind the same pipeline as HTTP:
 * token-limited parsing, graphql's rules plus the shared document limits (depth, aliases,
 * directives, cost, introspection in production), the mutation cap and the client's rate budget.
 * Per socket: at most WS_MAX_SUBSCRIPTIONS_PER_CONNECTION operations; per client address at most
 * WS_MAX_CONNECTIONS_PER_CLIENT sockets; a socket without authorization is closed after
 * WS_ANONYMOUS_TIMEOUT_SECONDS. A bad authorization param closes with 4403 Forbidden.
 */
export function attachSubscriptions(httpServer: Server, schema: GraphQLSchema, services: AppServices, budget: ClientBudget) {
  const { limits, env } = services.config;
  const document = documentLimits(limits, env === 'production');
  const rules = allRules(document);
  const connections = new Map<string, number>();
  // noServer: given the HTTP server, ws would also re-emit its 'error' (a port in use at start-up)
  // and graphql-ws would print it with a stack trace before main.ts's one clean line.
  const wss = new WebSocketServer({
    noServer: true,
    path: '/graphql',
    maxPayload: limits.maxBodyBytes,
    // Synchronous, so the count cannot race between the check and the 'connection' event.
    verifyClient: (info, accept) => {
      const open = connections.get(clientKeyOf(info.req)) ?? 0;
      if (open >= limits.wsMaxConnectionsPerClient) accept(false, 429, `Too many WebSocket connections from one client (at most ${limits.wsMaxConnectionsPerClient})`);
      else accept(true);
    },
  });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!wss.shouldHandle(request)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  httpServer.on('upgrade', onUpgrade);
  wss.on('connection', (socket, request) => {
    const key = clientKeyOf(request);
    connections.set(key, (connections.get(key) ?? 0) + 1);
    socket.once('close', () => {
      const left = (connections.get(key) ?? 1) - 1;
      if (left > 0) connections.set(key, left);
      else connections.delete(key);
    });
  });

  const format = graphqlErrorFormatter(services, 'ws');
  const formatAll = (errors: readonly GraphQLError[]) => errors.map((e) => format(e.toJSON(), e.originalError ?? e));

  /** The HTTP pipeline's steps, in the same order, for one `subscribe` message. */
  async function prepare(ctx: WsContext, payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null }): Promise<ExecutionArgs | readonly GraphQLError[]> {
    const state = ctx.extra.state!;
    const admin = state.principal.kind === 'admin';
    if (!admin) {
      const charge = await budget.charge(state.clientKey, 1);
      if (!charge.ok) return [clientError(budget.message(charge.retryAfterSeconds), 'RATE_LIMITED', { retryAfterSeconds: charge.retryAfterSeconds })];
    }
    if (Object.keys(ctx.subscriptions).length > limits.wsMaxSubscriptionsPerConnection) {
      return [clientError(`At most ${limits.wsMaxSubscriptionsPerConnection} operations may run on one connection (WS_MAX_SUBSCRIPTIONS_PER_CONNECTION)`, 'BAD_USER_INPUT')];
    }
    let parsed: DocumentNode;
    try {
      parsed = parse(payload.query, document.parseOptions);
    } catch (error) {
      if (error instanceof GraphQLError) return [clientError(error.message, 'GRAPHQL_PARSE_FAILED')];
      throw error;
    }
    const invalid = validate(schema, parsed, rules);
    if (invalid.length > 0) return invalid.map((e) => clientError(e.message, 'GRAPHQL_VALIDATION_FAILED'));
    const operation = getOperationAST(parsed, payload.operationName);
    if (!operation) return [clientError('Unable to identify the operation: name one with operationName', 'BAD_USER_INPUT')];
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {}, { maxErrors: 10 });
    if (coerced.errors) return coerced.errors.map((e) => clientError(e.message, 'BAD_USER_INPUT'));
    const nul = nulInVariables(payload.variables);
    if (nul) return [nul];
    const fields = rootFieldCount(parsed, operation);
    if (!admin && operation.operation === 'mutation' && fields > limits.maxMutations) return [tooManyMutations(fields, limits.maxMutations)];
    if (!admin && fields > 1) {
      const charge = await budget.charge(state.clientKey, fields - 1);
      if (!charge.ok) return [clientError(budget.message(charge.retryAfterSeconds), 'RATE_LIMITED', { retryAfterSeconds: charge.retryAfterSeconds })];
    }
    return {
      schema,
      document: parsed,
      operationName: payload.operationName,
      variableValues: payload.variables,
      contextValue: createContext(services, ctx.connectionParams?.authorization, {}, state.clientKey),
    };
  }

  const sessions = new Set<{ subscriptions: Record<string, unknown> }>();
  const disposable = useServer<Record<string, unknown>, { state?: ConnectionState }>(
    {
      schema,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        let principal: Principal;
        try {
          principal = await services.authz.principalFrom(authorization);
        } catch (error) {
          if (error instanceof AppError) return false;
          throw error;
        }
        ctx.extra.state = { principal, clientKey: clientKeyOf(ctx.extra.request) };
        sessions.add(ctx);
        ctx.extra.socket.once('close', () => sessions.delete(ctx));
        if (principal.kind === 'anonymous') {
          // An anonymous socket can subscribe to nothing; it may run a few operations, then it goes.
          const socket = ctx.extra.socket;
          const timer = setTimeout(() => socket.close(WsCloseCode.AnonymousTimeout, 'Unauthenticated connection timed out'), limits.wsAnonymousTimeoutMs);
          timer.unref();
          socket.once('close', () => clearTimeout(timer));
        }
        return true;
      },
      onSubscribe: (ctx, _id, payload) => prepare(ctx as WsContext, payload),
      onError: (_ctx, _id, _payload, errors) => formatAll(errors),
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: formatAll(result.errors) } : result,
    },
    wss,
  );
  // graphql-ws keeps each connection's running operations in `ctx.subscriptions`.
  const untrack = trackSubscriptions(() => [...sessions].reduce((n, ctx) => n + Object.keys(ctx.subscriptions).length, 0));
  return {
    /** Closes every socket (clients see 1001 Going Away) and stops accepting new ones. */
    async close(): Promise<void> {
      untrack();
      httpServer.off('upgrade', onUpgrade);
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
