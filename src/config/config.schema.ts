import { z } from 'zod';

const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a whole number from 0 to 65535' })
    .int('must be a whole number from 0 to 65535')
    .min(0, 'must be a whole number from 0 to 65535')
    .max(65535, 'must be a whole number from 0 to 65535')
    .default(fallback);

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const httpUrl = z
  .string()
  .trim()
  .refine((v) => /^https?:\/\/[^\s]+$/.test(v) && URL.canParse(v), 'must be an http(s) URL')
  .optional();

const onOff = z.enum(['on', 'off'], { message: "must be 'on' or 'off'" });

/**
 * The environment variables of CONTRACT §4 (and our additions), as strings in, typed values out.
 * Cross-field rules (production needs ADMIN_API_KEY, key prefixes) live in config.ts.
 */
export const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { message: "must be 'development', 'test' or 'production'" })
    .default('development'),
  // No default here: development binds 127.0.0.1, production 0.0.0.0 (config.ts decides).
  HOST: optionalString,
  PORT: port(4000),
  PUBLIC_URL: httpUrl,
  DATABASE_URL: optionalString,
  DATABASE_POOL_SIZE: z.coerce
    .number({ message: 'must be a whole number from 1 to 100' })
    .int('must be a whole number from 1 to 100')
    .min(1, 'must be a whole number from 1 to 100')
    .max(100, 'must be a whole number from 1 to 100')
    .default(10),
  ADMIN_API_KEY: optionalString.refine((v) => v === undefined || v.length >= 24, 'must be at least 24 characters'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .optional(),

  STRIPE_SECRET_KEY: optionalString.refine(
    (v) => v === undefined || /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/.test(v),
    "must look like 'sk_test_…' or 'sk_live_…' (a restricted key 'rk_test_…' or 'rk_live_…' works too)",
  ),
  STRIPE_WEBHOOK_SECRET: optionalString.refine(
    (v) => v === undefined || v.startsWith('whsec_'),
    "must start with 'whsec_'",
  ),
  STRIPE_API_BASE: httpUrl,

  PAYPAL_CLIENT_ID: optionalString,
  PAYPAL_CLIENT_SECRET: optionalString,
  PAYPAL_WEBHOOK_ID: optionalString,
  PAYPAL_ENV: z.enum(['sandbox', 'live'], { message: "must be 'sandbox' or 'live'" }).default('sandbox'),
  PAYPAL_API_BASE: httpUrl,
  PAYPAL_WEBHOOK_VERIFY: z.enum(['cert', 'api'], { message: "must be 'cert' or 'api'" }).default('cert'),

  SANDBOX: z.enum(['auto', 'on', 'off'], { message: "must be 'auto', 'on' or 'off'" }).default('auto'),
  SANDBOX_PORT: port(4010),
  SANDBOX_STRIPE_WEBHOOK_URL: httpUrl,
  SANDBOX_PAYPAL_WEBHOOK_URL: httpUrl,

  ALLOWED_REDIRECT_ORIGINS: optionalString,
  CORS_ORIGINS: optionalString,
  REDIS_URL: optionalString,
  STOREFRONT: onOff.optional(),

  MAX_BODY_BYTES: z.coerce.number().int().min(1024, 'must be at least 1024').max(10_485_760, 'must be at most 10485760').default(102_400),
  RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ message: 'must be a whole number (0 turns rate limiting off)' })
    .int('must be a whole number (0 turns rate limiting off)')
    .min(0, 'must be a whole number (0 turns rate limiting off)')
    .default(1200),
  WEBHOOK_MAX_ATTEMPTS: z.coerce
    .number({ message: 'must be a whole number from 1 to 100' })
    .int('must be a whole number from 1 to 100')
    .min(1, 'must be a whole number from 1 to 100')
    .max(100, 'must be a whole number from 1 to 100')
    .default(10),
  WEBHOOK_PAYLOAD_RETENTION_DAYS: z.coerce
    .number({ message: 'must be a whole number of days from 1 to 3650' })
    .int('must be a whole number of days from 1 to 3650')
    .min(1, 'must be a whole number of days from 1 to 3650')
    .max(3650, 'must be a whole number of days from 1 to 3650')
    .default(30),
  // Where the inbox worker applies events: its own thread (a second core) or the serving thread; `auto`: a thread on PostgreSQL only.
  WEBHOOK_APPLIER: z.enum(['auto', 'thread', 'inline'], { message: "must be 'auto', 'thread' or 'inline'" }).default('auto'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2, 'must be at least 2').max(50, 'must be at most 50').default(10),
  // 50 000 lets an admin list the largest page (100 orders) with every order field selected (cost ≈ 23 000).
  GRAPHQL_MAX_COMPLEXITY: z.coerce.number().int().min(10, 'must be at least 10').max(1_000_000, 'must be at most 1000000').default(50_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0, 'must be at least 0').max(1000, 'must be at most 1000').default(15),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0, 'must be at least 0').max(1000, 'must be at most 1000').default(20),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100, 'must be at least 100').max(100_000, 'must be at most 100000').default(2000),
  GRAPHQL_MAX_MUTATIONS: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(1),
  WS_MAX_CONNECTIONS_PER_CLIENT: z.coerce.number().int().min(1, 'must be at least 1').max(100_000, 'must be at most 100000').default(20),
  WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1, 'must be at least 1').max(10_000, 'must be at most 10000').default(20),
  WS_ANONYMOUS_TIMEOUT_SECONDS: z.coerce.number().int().min(1, 'must be at least 1').max(86_400, 'must be at most 86400').default(30),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(0, 'must be at least 0').max(3600, 'must be at most 3600').default(30),
  // Fractions are allowed (0.5 = 30 minutes); a year is far beyond any client's retry window.
  METRICS: onOff.default('on'),
  // No default: without it /metrics is served on PORT (behind the admin key in production).
  METRICS_PORT: optionalString
    .refine((v) => v === undefined || (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535), 'must be a whole number from 1 to 65535')
    .transform((v) => (v === undefined ? undefined : Number(v))),
  // The standard OpenTelemetry variables that switch tracing on; the exporter reads the rest itself.
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none'], { message: "must be 'otlp', 'console' or 'none'" }).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl,
  IDEMPOTENCY_TTL_HOURS: z.coerce
    .number({ message: 'must be a number of hours greater than 0 (at most 8760)' })
    .positive('must be a number of hours greater than 0 (at most 8760)')
    .max(8760, 'must be a number of hours greater than 0 (at most 8760)')
    .default(24),
  // The provider status sync (README "Reconciliation"). Fractions let a test run rounds every 0.2 s.
  RECONCILE_INTERVAL_SECONDS: z.coerce
    .number({ message: 'must be a number of seconds from 0 (off) to 86400' })
    .min(0, 'must be a number of seconds from 0 (off) to 86400')
    .max(86_400, 'must be a number of seconds from 0 (off) to 86400')
    .default(60),
  RECONCILE_AFTER_SECONDS: z.coerce
    .number({ message: 'must be a number of seconds from 0 to 604800' })
    .min(0, 'must be a number of seconds from 0 to 604800')
    .max(604_800, 'must be a number of seconds from 0 to 604800')
    .default(300),
  RECONCILE_LOOKBACK_HOURS: z.coerce
    .number({ message: 'must be a number of hours greater than 0 (at most 8760)' })
    .positive('must be a number of hours greater than 0 (at most 8760)')
    .max(8760, 'must be a number of hours greater than 0 (at most 8760)')
    .default(72),
  RECONCILE_BATCH: z.coerce
    .number({ message: 'must be a whole number from 1 to 10000' })
    .int('must be a whole number from 1 to 10000')
    .min(1, 'must be a whole number from 1 to 10000')
    .max(10_000, 'must be a whole number from 1 to 10000')
    .default(100),
  // Outbound webhooks to merchant endpoints (README "Outbound webhooks"). Fractions let tests retry in milliseconds.
  OUTBOUND_WEBHOOK_TIMEOUT_SECONDS: z.coerce
    .number({ message: 'must be a number of seconds from 0.1 to 60' })
    .min(0.1, 'must be a number of seconds from 0.1 to 60')
    .max(60, 'must be a number of seconds from 0.1 to 60')
    .default(10),
  OUTBOUND_WEBHOOK_RETRY_BASE_SECONDS: z.coerce
    .number({ message: 'must be a number of seconds from 0.01 to 3600' })
    .min(0.01, 'must be a number of seconds from 0.01 to 3600')
    .max(3600, 'must be a number of seconds from 0.01 to 3600')
    .default(5),
  OUTBOUND_WEBHOOK_RETRY_HOURS: z.coerce
    .number({ message: 'must be a number of hours greater than 0 (at most 720)' })
    .positive('must be a number of hours greater than 0 (at most 720)')
    .max(720, 'must be a number of hours greater than 0 (at most 720)')
    .default(72),
  OUTBOUND_WEBHOOK_DISABLE_AFTER_HOURS: z.coerce
    .number({ message: 'must be a number of hours greater than 0 (at most 720)' })
    .positive('must be a number of hours greater than 0 (at most 720)')
    .max(720, 'must be a number of hours greater than 0 (at most 720)')
    .default(72),
  OUTBOUND_WEBHOOK_CONCURRENCY: z.coerce
    .number({ message: 'must be a whole number from 1 to 1000' })
    .int('must be a whole number from 1 to 1000')
    .min(1, 'must be a whole number from 1 to 1000')
    .max(1000, 'must be a whole number from 1 to 1000')
    .default(10),
});

export type RawEnv = z.infer<typeof envSchema>;
