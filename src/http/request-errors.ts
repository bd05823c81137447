import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logging/logger';

/**
 * Body-parser failures (too large, malformed JSON) answered in GraphQL's error shape with a
 * message that says what was wrong; anything else is a 500 without internals.
 */
export function requestErrorHandler(logger: Logger, maxBodyBytes: number): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      res.status(413).json({ errors: [{ message: `Request body exceeds the limit of ${maxBodyBytes} bytes`, extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    if (type === 'entity.parse.failed') {
      res.status(400).json({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }] });
      return;
    }
    logger.error({ err: error }, 'unexpected error handling a request');
    res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  };
}
