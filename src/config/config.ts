import { randomBytes } from 'node:crypto';
import { ConfigError } from './config.error';
import { envSchema, type RawEnv } from './config.schema';
import { databaseConfig, type DatabaseConfig } from './database.config';

export type { DatabaseConfig } from './database.config';

/** How a provider is reached: real keys, the built-in sandbox, or not at all. */
export type ProviderMode = 'real' | 'sandbox' | 'disabled';

export interface StripeConfig {
  mode: ProviderMode;
  secretKey?: string;
  webhookSecret?: string;
  /** Base URL override for real mode (e.g. stripe-mock); sandbox mode uses the sandbox's URL. */
  apiBase?: string;
}

export interface PayPalConfig {
  mode: ProviderMode;
  clientId?: string;
  clientSecret?: string;
  webhookId?: string;
  env: 'sandbox' | 'live';
  apiBase?: string;
  webhookVerify: 'cert' | 'api';
}

/** The validated, typed configuration; built once at start and passed inward. */
export interface AppConfig {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicUrl?: string;
  /** SQLite (the default) or PostgreSQL, from DATABASE_URL. */
  database: DatabaseConfig;
  /** PostgreSQL connections per instance (DATABASE_POOL_SIZE); SQLite always writes through one connection. */
  databasePoolSize: number;
  adminApiKey: string;
  adminApiKeyGenerated: boolean;
  logLevel: string;
  sandbox: { enabled: boolean; port: number; stripeWebhookUrl?: string; paypalWebhookUrl?: string };
  stripe: StripeConfig;
  paypal: PayPalConfig;
  redirects: { allowedOrigins?: string[]; allowPlainHttpLocalhost: boolean };
  /** Browser origins allowed to call /graphql cross-origin: a list, or true for any. */
  corsOrigins: string[] | true;
  storefront: boolean;
  /** Request and operation limits; see {@link LimitsConfig}. */
  limits: LimitsConfig;
  /** How long in-flight requests (and the provider calls they started) may finish after SIGTERM. */
  shutdownGraceMs: number;
  /** Set by REDIS_URL: subscriptions then see status changes made on every instance. */
  redis?: RedisConfig;
  /** How long an `Idempotency-Key` is remembered (IDEMPOTENCY_TTL_HOURS). */
  idempotency: { ttlMs: number };
  /** The webhook inbox: attempts before an event is DEAD, and how long raw payloads are kept. */
  webhooks: { maxAttempts: number; payloadRetentionDays: number };
  /** `GET /metrics` (METRICS); on `port` (METRICS_PORT) instead of PORT when set. */
  metrics: { enabled: boolean; port?: number };
  /** OpenTelemetry tracing: which exporter, or none (OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT). */
  tracing: { exporter?: 'otlp' | 'console' };
  /** The provider status sync: intervalMs 0 = off. */
  reconcile: { intervalMs: number; afterMs: number; lookbackMs: number; batch: number };
  /** Outbound webhooks to merchant endpoints; see {@link OutboundWebhooksConfig}. */
  outboundWebhooks: OutboundWebhooksConfig;
}

/** Outbound webhooks (README "Outbound webhooks"). */
export interface OutboundWebhooksConfig {
  /** One attempt's limit (OUTBOUND_WEBHOOK_TIMEOUT_SECONDS). */
  timeoutMs: number;
  /** First retry delay, doubled per attempt with jitter (OUTBOUND_WEBHOOK_RETRY_BASE_SECONDS). */
  retryBaseMs: number;
  /** How long a delivery is retried before it is FAILED (OUTBOUND_WEBHOOK_RETRY_HOURS). */
  retryWindowMs: number;
  /** An endpoint failing this long is disabled (OUTBOUND_WEBHOOK_DISABLE_AFTER_HOURS). */
  disableAfterMs: number;
  /** Deliveries in flight per endpoint (OUTBOUND_WEBHOOK_CONCURRENCY). */
  concurrency: number;
  /** Production: endpoints must be https:// and resolve to public addresses only. */
  production: boolean;
}

/** What one client may ask of the API at once (README "Security"). */
export interface LimitsConfig {
  maxBodyBytes: number;
  maxDepth: number;
  maxComplexity: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  /** Root mutation fields per request for everyone but the admin. */
  maxMutations: number;
  /** Per client on /graphql and graphql-ws, counted per request and per root field; 0 = no limit. */
  requestsPerMinute: number;
  wsMaxConnectionsPerClient: number;
  wsMaxSubscriptionsPerConnection: number;
  /** A WebSocket that connected without an authorization param is closed after this long. */
  wsAnonymousTimeoutMs: number;
}

/** `url` holds the password, if any: connect with it, log only `displayUrl`. */
export interface RedisConfig {
  url: string;
  displayUrl: string;
}

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
    webhooks: { maxAttempts: raw.WEBHOOK_MAX_ATTEMPTS, payloadRetentionDays: raw.WEBHOOK_PAYLOAD_RETENTION_DAYS },
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

/** An explicit OTEL_TRACES_EXPORTER wins; otherwise an OTLP endpoint means OTLP; otherwise no tracing. */
function tracesExporter(raw: RawEnv): 'otlp' | 'console' | undefined {
  if (raw.OTEL_TRACES_EXPORTER === 'none') return undefined;
  if (raw.OTEL_TRACES_EXPORTER) return raw.OTEL_TRACES_EXPORTER;
  return raw.OTEL_EXPORTER_OTLP_ENDPOINT || raw.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : undefined;
}

/**
 * SANDBOX=auto puts a provider without credentials on the sandbox, except in production,
 * where a missing provider is disabled rather than faked.
 */
function providerMode(raw: RawEnv, hasCredentials: boolean): ProviderMode {
  if (raw.SANDBOX === 'on') return 'sandbox';
  if (hasCredentials) return 'real';
  return raw.SANDBOX === 'auto' && raw.NODE_ENV !== 'production' ? 'sandbox' : 'disabled';
}

function stripeConfig(raw: RawEnv, problems: string[]): StripeConfig {
  const given = [raw.STRIPE_SECRET_KEY, raw.STRIPE_WEBHOOK_SECRET].filter(Boolean).length;
  if (given === 1 && raw.SANDBOX !== 'on') {
    problems.push(
      raw.STRIPE_SECRET_KEY
        ? 'STRIPE_WEBHOOK_SECRET: required together with STRIPE_SECRET_KEY'
        : 'STRIPE_SECRET_KEY: required together with STRIPE_WEBHOOK_SECRET',
    );
  }
  const mode = providerMode(raw, given === 2);
  return { mode, secretKey: raw.STRIPE_SECRET_KEY, webhookSecret: raw.STRIPE_WEBHOOK_SECRET, apiBase: raw.STRIPE_API_BASE };
}

function paypalConfig(raw: RawEnv, problems: string[]): PayPalConfig {
  const names = ['PAYPAL_CLIENT_ID', 'PAYPAL_CLIENT_SECRET', 'PAYPAL_WEBHOOK_ID'] as const;
  const missing = names.filter((n) => !raw[n]);
  if (missing.length > 0 && missing.length < names.length && raw.SANDBOX !== 'on') {
    for (const n of missing) problems.push(`${n}: required together with ${names.filter((x) => !missing.includes(x)).join(', ')}`);
  }
  return {
    mode: providerMode(raw, missing.length === 0),
    clientId: raw.PAYPAL_CLIENT_ID,
    clientSecret: raw.PAYPAL_CLIENT_SECRET,
    webhookId: raw.PAYPAL_WEBHOOK_ID,
    env: raw.PAYPAL_ENV,
    apiBase: raw.PAYPAL_API_BASE,
    webhookVerify: raw.PAYPAL_WEBHOOK_VERIFY,
  };
}

/** The message never repeats the value: a Redis URL may carry a password. */
function redisConfig(url: string | undefined, problems: string[]): RedisConfig | undefined {
  if (!url) return undefined;
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || !/^rediss?:$/.test(parsed.protocol) || !parsed.hostname || !/^(\/\d*)?$/.test(parsed.pathname) || parsed.search || parsed.hash) {
    problems.push('REDIS_URL: must be redis://[[user]:password@]host[:port][/db] or rediss://… (TLS), e.g. redis://localhost:6379');
    return undefined;
  }
  const display = new URL(parsed.href);
  if (display.password) display.password = '***';
  return { url: parsed.href, displayUrl: display.href };
}

/** Any origin in development (bearer tokens, no cookies); only listed ones in production. */
function corsOrigins(list: string | undefined, production: boolean, problems: string[]): string[] | true {
  if (list === '*') return true;
  if (!list) return production ? [] : true;
  return parseOrigins('CORS_ORIGINS', list, problems);
}

/**
 * Without a list, production falls back to PUBLIC_URL's origin (our own pages) and refuses to
 * start with neither: an open list would let anyone use our checkout to redirect to a phishing page.
 */
function redirectOrigins(list: string | undefined, publicUrl: string | undefined, production: boolean, problems: string[]): string[] | undefined {
  if (list) return parseOrigins('ALLOWED_REDIRECT_ORIGINS', list, problems);
  if (!production) return undefined;
  if (publicUrl) return [new URL(publicUrl).origin];
  problems.push('ALLOWED_REDIRECT_ORIGINS: required when NODE_ENV=production unless PUBLIC_URL is set (its origin is then the only one allowed)');
  return undefined;
}

function parseOrigins(variable: string, list: string, problems: string[]): string[] {
  const origins: string[] = [];
  for (const item of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!URL.canParse(item) || !/^https?:$/.test(new URL(item).protocol)) {
      problems.push(`${variable}: '${item}' is not an http(s) origin such as https://shop.example.com`);
      continue;
    }
    origins.push(new URL(item).origin);
  }
  return origins;
}
