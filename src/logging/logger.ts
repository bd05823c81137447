import pino, { type DestinationStream, type Logger } from 'pino';
import { traceFields } from '../observability/tracing';

export type { Logger };

/**
 * Paths pino censors wherever they appear in a log object: credentials must never reach a log,
 * whichever code path logged the request, the config or a provider error.
 */
const SECRET_KEYS = ['authorization', 'accessToken', 'adminApiKey', 'secretKey', 'webhookSecret', 'clientSecret', 'token', 'password', 'clientSecretKey'];

/**
 * Paths pino censors wherever they appear in a log object: credentials must never reach a log,
 * whichever code path logged the request, the config or a provider error. pino's `*` matches one
 * level, so each key is listed at the top level and up to three levels down (a whole AppConfig
 * puts `stripe.secretKey` two levels deep).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'req.headers["paypal-transmission-sig"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
];

/**
 * Structured JSON logger; `level: 'silent'` in tests unless LOG_LEVEL says otherwise.
 * `destination` defaults to stdout; tests pass a stream to read what would have been logged.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  // The active span's trace id on every line logged while handling a traced request (nothing when not tracing).
  const options = { level, mixin: traceFields, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'payments-api' } };
  return destination ? pino(options, destination) : pino(options);
}
