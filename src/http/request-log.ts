import type { RequestHandler } from 'express';
import type { Logger } from '../logging/logger';

/** One structured line per request: method, path (no query string: it may carry tokens), status, duration. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // originalUrl, not path: inside a mounted router (/graphql) req.path is relative ('/').
    res.on('finish', () => logRequest(logger, req.method, req.originalUrl, res.statusCode, started));
    next();
  };
}

/** The request line itself, shared with the plain node:http webhook path. */
export function logRequest(logger: Logger, method: string, url: string, status: number, started: bigint): void {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  requestLinesOf(logger).info({ method, path: url.split('?')[0], status, ms: Math.round(ms * 10) / 10 }, 'request');
}

const requestLines = new WeakMap<Logger, Logger>();

/**
 * The logger's child for request lines, without its redaction: a line holds only the method, the
 * path without its query string, the status and the duration, never a credential, and censoring
 * the 40 paths (wildcards three levels deep) cost 25 µs a line against 1.4 µs without (measured
 * with pino 10 on this machine), about a tenth of a webhook delivery's CPU. Same stream, level
 * and trace-id mixin as the parent.
 */
function requestLinesOf(logger: Logger): Logger {
  let lines = requestLines.get(logger);
  if (!lines) {
    lines = logger.child({}, { redact: { paths: [] } });
    requestLines.set(logger, lines);
  }
  return lines;
}
