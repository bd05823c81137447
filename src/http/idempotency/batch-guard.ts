import type { RequestHandler } from 'express';
import { BadUserInputError } from '../../domain/errors';
import { formatError } from '../../graphql/error-formatter';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency.plugin';

/**
 * One key stands for one operation: a batched request (a JSON array) that carries an
 * `Idempotency-Key` is refused before Apollo sees it, whether or not batching is enabled.
 */
export function rejectBatchedIdempotentRequests(): RequestHandler {
  return (req, res, next) => {
    if (req.get(IDEMPOTENCY_KEY_HEADER) === undefined || !Array.isArray(req.body)) return next();
    const error = new BadUserInputError(
      'Idempotency-Key stands for one operation: send each operation of this batch as its own request, each with its own key',
      'Idempotency-Key',
    );
    res.status(400).json({ errors: [formatError({ message: error.message }, error)] });
  };
}
