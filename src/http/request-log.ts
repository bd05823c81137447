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
  logger.info({ method, path: url.split('?')[0], status, ms: Math.round(ms * 10) / 10 }, 'request');
}
