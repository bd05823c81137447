import path from 'node:path';
import { ConfigError } from '../../src/config/config.error';
import { loadConfig } from '../../src/config/config';
import { describeDatabase } from '../../src/config/database.config';
import { createLogger } from '../../src/logging/logger';

/** loadConfig: every bad value is refused with a message naming the variable; an empty environment is a working default. */
describe('loadConfig', () => {
  function problemsOf(env: Record<string, string>): string {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).message;
    }
    throw new Error(`expected ${JSON.stringify(env)} to be refused`);
  }

  it.each<[Record<string, string>, RegExp]>([
    [{ PORT: 'abc' }, /PORT: must be a whole number from 0 to 65535/],
    [{ PORT: '70000' }, /PORT: must be a whole number from 0 to 65535/],
    [{ PORT: '-1' }, /PORT: /],
    [{ SANDBOX_PORT: '4.5' }, /SANDBOX_PORT: /],
    [{ SANDBOX: 'maybe' }, /SANDBOX: must be 'auto', 'on' or 'off'/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV: must be 'development', 'test' or 'production'/],
    [{ NODE_ENV: 'production' }, /ADMIN_API_KEY: required when NODE_ENV=production/],
    [{ ADMIN_API_KEY: 'short' }, /ADMIN_API_KEY: must be at least 24 characters/],
    [{ STRIPE_SECRET_KEY: 'sk_test_abc' }, /STRIPE_WEBHOOK_SECRET: required together with STRIPE_SECRET_KEY/],
    [{ STRIPE_WEBHOOK_SECRET: 'whsec_abc' }, /STRIPE_SECRET_KEY: required together with STRIPE_WEBHOOK_SECRET/],
    [{ STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }, /STRIPE_SECRET_KEY: must look like 'sk_test_…'/],
    [{ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'abc' }, /STRIPE_WEBHOOK_SECRET: must start with 'whsec_'/],
    [{ PAYPAL_CLIENT_ID: 'id' }, /PAYPAL_CLIENT_SECRET: required together with PAYPAL_CLIENT_ID[\s\S]*PAYPAL_WEBHOOK_ID: required/],
    [{ PAYPAL_ENV: 'prod' }, /PAYPAL_ENV: must be 'sandbox' or 'live'/],
    [{ PAYPAL_WEBHOOK_VERIFY: 'none' }, /PAYPAL_WEBHOOK_VERIFY: must be 'cert' or 'api'/],
    [{ STRIPE_API_BASE: 'localhost:12111' }, /STRIPE_API_BASE: must be an http\(s\) URL/],
    [{ DATABASE_URL: 'mysql://db/payments' }, /DATABASE_URL: must be 'sqlite:<file path>', 'sqlite::memory:' or 'postgres:\/\/user:password@host:5432\/database'/],
    [{ DATABASE_URL: 'postgres://user:pw@db' }, /DATABASE_URL: name one database after the host/],
    [{ DATABASE_URL: 'postgres://user:pw@db:99999/payments' }, /DATABASE_URL: not a valid PostgreSQL URL/],
    [{ DATABASE_URL: 'postgres://db/payments' }, /DATABASE_URL: name the user/],
    [{ DATABASE_URL: 'postgres://user:pw@db/payments?sslmode=sometimes' }, /DATABASE_URL: sslmode must be one of disable, require, verify-full/],
    [{ DATABASE_URL: 'postgres://user:pw@db/payments?schema=x' }, /DATABASE_URL: unsupported parameter 'schema'/],
    [{ DATABASE_POOL_SIZE: '0' }, /DATABASE_POOL_SIZE: must be a whole number from 1 to 100/],
    [{ DATABASE_POOL_SIZE: 'many' }, /DATABASE_POOL_SIZE: must be a whole number from 1 to 100/],
    [{ ALLOWED_REDIRECT_ORIGINS: 'https://shop.example.com,ftp://files' }, /ALLOWED_REDIRECT_ORIGINS: 'ftp:\/\/files' is not an http\(s\) origin/],
    [{ REDIS_URL: 'http://localhost:6379' }, /REDIS_URL: must be redis:\/\//],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: must be one of/],
    [{ STOREFRONT: 'yes' }, /STOREFRONT: must be 'on' or 'off'/],
    [{ MAX_BODY_BYTES: '10' }, /MAX_BODY_BYTES: must be at least 1024/],
    [{ GRAPHQL_MAX_DEPTH: 'deep' }, /GRAPHQL_MAX_DEPTH: /],
    [{ GRAPHQL_MAX_COMPLEXITY: '1' }, /GRAPHQL_MAX_COMPLEXITY: must be at least 10/],
    [{ IDEMPOTENCY_TTL_HOURS: '0' }, /IDEMPOTENCY_TTL_HOURS: must be a number of hours greater than 0/],
    [{ IDEMPOTENCY_TTL_HOURS: 'a day' }, /IDEMPOTENCY_TTL_HOURS: must be a number of hours/],
    [{ IDEMPOTENCY_TTL_HOURS: '9000' }, /IDEMPOTENCY_TTL_HOURS: .*at most 8760/],
    [{ GRAPHQL_MAX_ALIASES: 'many' }, /GRAPHQL_MAX_ALIASES: /],
    [{ GRAPHQL_MAX_TOKENS: '5' }, /GRAPHQL_MAX_TOKENS: must be at least 100/],
    [{ GRAPHQL_MAX_MUTATIONS: '0' }, /GRAPHQL_MAX_MUTATIONS: must be at least 1/],
    [{ WS_MAX_CONNECTIONS_PER_CLIENT: '0' }, /WS_MAX_CONNECTIONS_PER_CLIENT: must be at least 1/],
    [{ WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: 'x' }, /WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: /],
    [{ WS_ANONYMOUS_TIMEOUT_SECONDS: '0' }, /WS_ANONYMOUS_TIMEOUT_SECONDS: must be at least 1/],
    [{ SHUTDOWN_GRACE_SECONDS: '-1' }, /SHUTDOWN_GRACE_SECONDS: must be at least 0/],
    // The sandbox's webhook secret is published: in production it would let anyone mark orders paid.
    [{ NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(32), PUBLIC_URL: 'https://pay.example.com', SANDBOX: 'on' }, /SANDBOX: 'on' is not allowed when NODE_ENV=production/],
    // No open redirects by default in production.
    [{ NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(32) }, /ALLOWED_REDIRECT_ORIGINS: required when NODE_ENV=production unless PUBLIC_URL is set/],
    [{ WEBHOOK_MAX_ATTEMPTS: '0' }, /WEBHOOK_MAX_ATTEMPTS: must be a whole number from 1 to 100/],
    [{ RECONCILE_INTERVAL_SECONDS: '-1' }, /RECONCILE_INTERVAL_SECONDS: must be a number of seconds from 0 \(off\) to 86400/],
    [{ RECONCILE_INTERVAL_SECONDS: 'hourly' }, /RECONCILE_INTERVAL_SECONDS: must be a number of seconds/],
    [{ RECONCILE_AFTER_SECONDS: '-5' }, /RECONCILE_AFTER_SECONDS: must be a number of seconds from 0 to 604800/],
    [{ RECONCILE_LOOKBACK_HOURS: '0' }, /RECONCILE_LOOKBACK_HOURS: must be a number of hours greater than 0/],
    [{ RECONCILE_BATCH: '0' }, /RECONCILE_BATCH: must be a whole number from 1 to 10000/],
    [{ RECONCILE_BATCH: '2.5' }, /RECONCILE_BATCH: must be a whole number from 1 to 10000/],
    [{ WEBHOOK_MAX_ATTEMPTS: 'many' }, /WEBHOOK_MAX_ATTEMPTS: must be a whole number from 1 to 100/],
    [{ WEBHOOK_PAYLOAD_RETENTION_DAYS: '1.5' }, /WEBHOOK_PAYLOAD_RETENTION_DAYS: must be a whole number of days/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(problemsOf(env)).toMatch(message);
  });

  it('lists every bad variable at once', () => {
    const message = problemsOf({ PORT: 'abc', SANDBOX: 'maybe', LOG_LEVEL: 'loud' });
    for (const name of ['PORT', 'SANDBOX', 'LOG_LEVEL']) expect(message).toContain(`${name}:`);
  });

  it('never repeats a rejected secret in its message', () => {
    const secrets = { STRIPE_SECRET_KEY: 'pk_live_SuperSecretValue123', STRIPE_WEBHOOK_SECRET: 'notwhsec_AnotherSecret456', ADMIN_API_KEY: 'tooShortSecret' };
    const message = problemsOf(secrets);
    for (const value of Object.values(secrets)) expect(message).not.toContain(value);
  });

  it('an empty environment is a working development configuration with the sandbox on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 4000,
      database: { kind: 'sqlite', path: path.resolve('data', 'payments.sqlite') },
      adminApiKeyGenerated: true,
      sandbox: { enabled: true, port: 4010 },
      stripe: { mode: 'sandbox' },
      paypal: { mode: 'sandbox' },
      host: '127.0.0.1',
      limits: { maxBodyBytes: 102_400, maxDepth: 10, maxComplexity: 50_000, maxAliases: 15, maxDirectives: 20, maxTokens: 2000, maxMutations: 1 },
      shutdownGraceMs: 30_000,
      idempotency: { ttlMs: 24 * 3_600_000 },
      webhooks: { maxAttempts: 10, payloadRetentionDays: 30 },
      reconcile: { intervalMs: 60_000, afterMs: 300_000, lookbackMs: 72 * 3_600_000, batch: 100 },
    });
    expect(loadConfig({ RECONCILE_INTERVAL_SECONDS: '0' }).reconcile.intervalMs).toBe(0);
    expect(loadConfig({ IDEMPOTENCY_TTL_HOURS: '0.5' }).idempotency.ttlMs).toBe(30 * 60_000);
    expect(config.adminApiKey.length).toBeGreaterThanOrEqual(24);
    expect(loadConfig({}).adminApiKey).not.toBe(config.adminApiKey);
  });

  it('real keys select real providers; production without keys disables rather than fakes them', () => {
    const real = loadConfig({
      STRIPE_SECRET_KEY: 'sk_test_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      PAYPAL_CLIENT_ID: 'id',
      PAYPAL_CLIENT_SECRET: 'secret',
      PAYPAL_WEBHOOK_ID: 'WH-1',
    });
    expect([real.stripe.mode, real.paypal.mode, real.sandbox.enabled]).toEqual(['real', 'real', false]);
    const production = loadConfig({ NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(32), PUBLIC_URL: 'https://pay.example.com' });
    expect([production.stripe.mode, production.paypal.mode, production.sandbox.enabled, production.adminApiKeyGenerated]).toEqual(['disabled', 'disabled', false, false]);
    expect(loadConfig({ SANDBOX: 'off' }).sandbox.enabled).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).database).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(loadConfig({ DATABASE_URL: 'sqlite:./x/y.sqlite' }).database).toEqual({ kind: 'sqlite', path: path.resolve('x/y.sqlite') });
    expect([loadConfig({}).databasePoolSize, loadConfig({ DATABASE_POOL_SIZE: '32' }).databasePoolSize]).toEqual([10, 32]);
  });

  it('a postgres:// or postgresql:// URL selects PostgreSQL, its password a separate (redacted) field', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://pay:s%40cr%2Ft@db.internal:6543/payments' }).database).toEqual({
      kind: 'postgresql', host: 'db.internal', port: 6543, user: 'pay', password: 's@cr/t', dbName: 'payments',
    });
    expect(loadConfig({ DATABASE_URL: 'postgresql://pay@[::1]/payments?sslmode=verify-full' }).database).toEqual({
      kind: 'postgresql', host: '::1', port: 5432, user: 'pay', dbName: 'payments', ssl: 'verify-full',
    });
    const database = loadConfig({ DATABASE_URL: 'postgres://pay:TopSecretPw1@db/payments' }).database;
    expect(describeDatabase(database)).toBe('postgresql://pay@db:5432/payments');
    const lines: string[] = [];
    createLogger('info', { write: (line: string) => lines.push(line) }).info({ config: { database } }, 'config');
    expect(lines.join('')).not.toContain('TopSecretPw1');
    expect(problemsOf({ DATABASE_URL: 'postgres://pay:TopSecretPw1@db' })).not.toContain('TopSecretPw1');
  });

  it('production allows redirects only to PUBLIC_URL\'s origin unless ALLOWED_REDIRECT_ORIGINS says otherwise; development has no list', () => {
    const base = { NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(32) };
    expect(loadConfig({ ...base, PUBLIC_URL: 'https://pay.example.com/shop' }).redirects.allowedOrigins).toEqual(['https://pay.example.com']);
    expect(loadConfig({ ...base, ALLOWED_REDIRECT_ORIGINS: 'https://shop.example.com' }).redirects.allowedOrigins).toEqual(['https://shop.example.com']);
    expect(loadConfig({}).redirects.allowedOrigins).toBeUndefined();
  });

  it('development listens on 127.0.0.1 unless HOST says otherwise; production on every interface', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(32), PUBLIC_URL: 'https://pay.example.com' }).host).toBe('0.0.0.0');
  });
});
