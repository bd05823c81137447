import path from 'node:path';
import { ConfigError } from '../../src/config/config.error';
import { loadConfig } from '../../src/config/config';

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
    [{ DATABASE_URL: 'postgres://user:pw@db/payments' }, /DATABASE_URL: PostgreSQL is not available/],
    [{ DATABASE_URL: 'mysql://db/payments' }, /DATABASE_URL: must be 'sqlite:<file path>'/],
    [{ ALLOWED_REDIRECT_ORIGINS: 'https://shop.example.com,ftp://files' }, /ALLOWED_REDIRECT_ORIGINS: 'ftp:\/\/files' is not an http\(s\) origin/],
    [{ REDIS_URL: 'redis://localhost:6379' }, /REDIS_URL: /],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: must be one of/],
    [{ STOREFRONT: 'yes' }, /STOREFRONT: must be 'on' or 'off'/],
    [{ MAX_BODY_BYTES: '10' }, /MAX_BODY_BYTES: must be at least 1024/],
    [{ GRAPHQL_MAX_DEPTH: 'deep' }, /GRAPHQL_MAX_DEPTH: /],
    [{ GRAPHQL_MAX_COMPLEXITY: '1' }, /GRAPHQL_MAX_COMPLEXITY: must be at least 10/],
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
      databasePath: path.resolve('data', 'payments.sqlite'),
      adminApiKeyGenerated: true,
      sandbox: { enabled: true, port: 4010 },
      stripe: { mode: 'sandbox' },
      paypal: { mode: 'sandbox' },
      limits: { maxBodyBytes: 102_400, maxDepth: 10, maxComplexity: 10_000 },
    });
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
    const production = loadConfig({ NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(32) });
    expect([production.stripe.mode, production.paypal.mode, production.sandbox.enabled, production.adminApiKeyGenerated]).toEqual(['disabled', 'disabled', false, false]);
    expect(loadConfig({ SANDBOX: 'off' }).sandbox.enabled).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).databasePath).toBe(':memory:');
    expect(loadConfig({ DATABASE_URL: 'sqlite:./x/y.sqlite' }).databasePath).toBe(path.resolve('x/y.sqlite'));
  });
});
