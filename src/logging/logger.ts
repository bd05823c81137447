import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino censors wherever they appear in a log object: credentials must never reach a log,
 * whichever code path logged the request, the config or a provider error.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'req.headers["paypal-transmission-sig"]',
  'headers.authorization',
  '*.authorization',
  '*.accessToken',
  '*.adminApiKey',
  '*.secretKey',
  '*.webhookSecret',
  '*.clientSecret',
  '*.token',
  '*.password',
  'authorization',
  'accessToken',
  'adminApiKey',
  'secretKey',
  'webhookSecret',
  'clientSecret',
];

/** Structured JSON logger; `level: 'silent'` in tests unless LOG_LEVEL says otherwise. */
export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'payments-api' } });
}
