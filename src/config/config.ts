import { randomBytes } from 'node:crypto';
import { ConfigError } from './config.error';
import { envSchema, type RawEnv } from './config.schema';
import { corsOrigins, paypalConfig, redirectOrigins, redisConfig, stripeConfig, tracesExporter } from './config.sources';
import type { AppConfig } from './config.types';
import { databaseConfig } from './database.config';

export type { DatabaseConfig } from './database.config';
export type { AppConfig, LimitsConfig, OutboundWebhooksConfig, PayPalConfig, ProviderMode, RedisConfig, StripeConfig } from './config.types';
/**
 * Parses and validates the environment once. Throws {@link ConfigError} listing every bad
 * variable by name with what is allowed; main.ts prints it and exits non-zero.
 */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const raw = parsed.data;
  const problems: string[] = [];
  const config = buildConfig(raw, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function buildConfig(raw: RawEnv, problems: string[]): AppConfig {
  const production = raw.NODE_ENV === 'production';
  if (production && !raw.ADMIN_API_KEY) {
    problems.push('ADMIN_API_KEY: required when NODE_ENV=production (at least 24 characters)');
  }
  if (production && raw.SANDBOX === 'on') {
    problems.push("SANDBOX: 'on' is not allowed when NODE_ENV=production (the sandbox's webhook secret is public, so anyone could mark orders paid); use 'off' or 'auto'");
  }
  const stripe = stripeConfig(raw, problems);
  const paypal = paypalConfig(raw, problems);
  const sandboxEnabled = stripe.mode === 'sandbox' || paypal.mode === 'sandbox';
  return {
    env: raw.NODE_ENV,
    // Development serves a published sandbox webhook secret: only this machine may reach it unless HOST says otherwise.
    host: raw.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port: raw.PORT,
    publicUrl: raw.PUBLIC_URL,
    database: databaseConfig(raw.DATABASE_URL, problems),
    databasePoolSize: raw.DATABASE_POOL_SIZE,
    adminApiKey: raw.ADMIN_API_KEY ?? randomBytes(24).toString('base64url'),
    adminApiKeyGenerated: !raw.ADMIN_API_KEY,
    logLevel: raw.LOG_LEVEL ?? (raw.NODE_ENV === 'test' ? 'silent' : 'info'),
    sandbox: {
      enabled: sandboxEnabled,
      port: raw.SANDBOX_PORT,
      stripeWebhookUrl: raw.SANDBOX_STRIPE_WEBHOOK_URL,
      paypalWebhookUrl: raw.SANDBOX_PAYPAL_WEBHOOK_URL,
    },
    stripe,
    paypal,
    redirects: {
      allowedOrigins: redirectOrigins(raw.ALLOWED_REDIRECT_ORIGINS, raw.PUBLIC_URL, production, problems),
      allowPlainHttpLocalhost: !production || sandboxEnabled,
    },
    corsOrigins: corsOrigins(raw.CORS_ORIGINS, production, problems),
    storefront: raw.STOREFRONT ? raw.STOREFRONT === 'on' : !production,
    limits: {
      maxBodyBytes: raw.MAX_BODY_BYTES,
      maxDepth: raw.GRAPHQL_MAX_DEPTH,
      maxComplexity: raw.GRAPHQL_MAX_COMPLEXITY,
      maxAliases: raw.GRAPHQL_MAX_ALIASES,
      maxDirectives: raw.GRAPHQL_MAX_DIRECTIVES,
      maxTokens: raw.GRAPHQL_MAX_TOKENS,
      maxMutations: raw.GRAPHQL_MAX_MUTATIONS,
      requestsPerMinute: raw.RATE_LIMIT_PER_MINUTE,
      wsMaxConnectionsPerClient: raw.WS_MAX_CONNECTIONS_PER_CLIENT,
      wsMaxSubscriptionsPerConnection: raw.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      wsAnonymousTimeoutMs: raw.WS_ANONYMOUS_TIMEOUT_SECONDS * 1000,
    },
    shutdownGraceMs: raw.SHUTDOWN_GRACE_SECONDS * 1000,
    redis: redisConfig(raw.REDIS_URL, problems),
    idempotency: { ttlMs: Math.round(raw.IDEMPOTENCY_TTL_HOURS * 3_600_000) },
    webhooks: { maxAttempts: raw.WEBHOOK_MAX_ATTEMPTS, payloadRetentionDays: raw.WEBHOOK_PAYLOAD_RETENTION_DAYS, applier: raw.WEBHOOK_APPLIER },
    metrics: { enabled: raw.METRICS === 'on', port: raw.METRICS_PORT },
    tracing: { exporter: tracesExporter(raw) },
    reconcile: {
      intervalMs: Math.round(raw.RECONCILE_INTERVAL_SECONDS * 1000),
      afterMs: Math.round(raw.RECONCILE_AFTER_SECONDS * 1000),
      lookbackMs: Math.round(raw.RECONCILE_LOOKBACK_HOURS * 3_600_000),
      batch: raw.RECONCILE_BATCH,
    },
    outboundWebhooks: {
      timeoutMs: Math.round(raw.OUTBOUND_WEBHOOK_TIMEOUT_SECONDS * 1000),
      retryBaseMs: Math.round(raw.OUTBOUND_WEBHOOK_RETRY_BASE_SECONDS * 1000),
      retryWindowMs: Math.round(raw.OUTBOUND_WEBHOOK_RETRY_HOURS * 3_600_000),
      disableAfterMs: Math.round(raw.OUTBOUND_WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000),
      concurrency: raw.OUTBOUND_WEBHOOK_CONCURRENCY,
      production,
    },
  };
}
