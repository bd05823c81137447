import type { RequestHandler } from 'express';
import type { Logger } from '../logging/logger';

/** One structured line per request: method, path (no query string: it may carry tokens), status, duration. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // originalUrl, not path: inside a mounted router (/graphql) req.path is relative ('/').
      const path = req.originalUrl.split('?')[0];
      logger.info({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    next();
  };
}
