/** The validated, typed configuration's shapes (config.ts builds them). */
import type { DatabaseConfig } from './database.config';

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
  /**
   * The webhook inbox: WEBHOOK_MAX_ATTEMPTS, WEBHOOK_PAYLOAD_RETENTION_DAYS, and where its worker
   * applies events (WEBHOOK_APPLIER: a worker thread with its own connections, or inline; `auto`
   * picks a thread on PostgreSQL and inline on SQLite).
   */
  webhooks: { maxAttempts: number; payloadRetentionDays: number; applier: 'auto' | 'thread' | 'inline' };
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
