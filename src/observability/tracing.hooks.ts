import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Knex } from '@mikro-orm/knex';
import type { RequestHandler } from 'express';
import type { ServerResponse } from 'node:http';
import { routeLabel } from './metrics.routes';
import { failSpan, SpanKind, startSpan, tracingActive } from './tracing';

/**
 * One SERVER span per HTTP request, active while the request is handled, so the GraphQL
 * operation, database queries, provider calls and log lines of that request share its trace id.
 * The GraphQL plugin renames it after the operation once that is known.
 */
export function httpTracing(): RequestHandler {
  return (req, res, next) => withHttpSpan(req.method, req.originalUrl.split('?')[0], res, next);
}

/** The same SERVER span for a request handled outside Express (the plain node:http webhook ingest). */
export function withHttpSpan(method: string, path: string, res: ServerResponse, handle: () => void): void {
  if (!tracingActive()) return handle();
  const route = routeLabel(path);
  const span = startSpan(`${method} ${route}`, { 'http.request.method': method, 'http.route': route }, SpanKind.SERVER)!;
  const end = () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', () => span.isRecording() && end());
  context.with(trace.setSpan(context.active(), span), handle);
}

/**
 * A span per SQL statement, from knex's own query events (MikroORM runs everything through knex).
 * MikroORM inlines values into the SQL it sends, so literals are replaced by `?`: values (emails,
 * token hashes, amounts) never reach a trace, and statements of one shape read the same.
 */
export function traceQueries(knex: Knex, system: string): void {
  const open = new Map<string, ReturnType<typeof startSpan>>();
  knex.on('query', (query: { __knexQueryUid?: string; sql?: string }) => {
    if (!tracingActive() || !query.__knexQueryUid) return;
    const sql = withoutLiterals(String(query.sql ?? ''));
    open.set(query.__knexQueryUid, startSpan(`db ${sql.split(/\s+/, 1)[0].toLowerCase()}`, { 'db.system': system, 'db.query.text': sql.slice(0, 2000) }, SpanKind.CLIENT));
  });
  const finish = (error: unknown, query: { __knexQueryUid?: string }) => {
    const uid = query?.__knexQueryUid;
    if (!uid) return;
    const span = open.get(uid);
    open.delete(uid);
    if (span && error) failSpan(span, error);
    span?.end();
  };
  knex.on('query-response', (_response: unknown, query: { __knexQueryUid?: string }) => finish(undefined, query));
  knex.on('query-error', (error: unknown, query: { __knexQueryUid?: string }) => finish(error, query));
}

/** The statement's shape: string, blob and number literals become `?`. */
export function withoutLiterals(sql: string): string {
  return sql.replace(/[xX]?'(?:[^']|'')*'/g, '?').replace(/(?<![\w.$])-?\d+(?:\.\d+)?(?![\w.])/g, '?');
}
