/** The parts of the configuration read from more than one variable: providers, Redis, origins, tracing. */
import type { RawEnv } from './config.schema';
import type { PayPalConfig, ProviderMode, RedisConfig, StripeConfig } from './config.types';

/** An explicit OTEL_TRACES_EXPORTER wins; otherwise an OTLP endpoint means OTLP; otherwise no tracing. */
export function tracesExporter(raw: RawEnv): 'otlp' | 'console' | undefined {
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

export function stripeConfig(raw: RawEnv, problems: string[]): StripeConfig {
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

export function paypalConfig(raw: RawEnv, problems: string[]): PayPalConfig {
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
export function redisConfig(url: string | undefined, problems: string[]): RedisConfig | undefined {
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
export function corsOrigins(list: string | undefined, production: boolean, problems: string[]): string[] | true {
  if (list === '*') return true;
  if (!list) return production ? [] : true;
  return parseOrigins('CORS_ORIGINS', list, problems);
}

/**
 * Without a list, production falls back to PUBLIC_URL's origin (our own pages) and refuses to
 * start with neither: an open list would let anyone use our checkout to redirect to a phishing page.
 */
export function redirectOrigins(list: string | undefined, publicUrl: string | undefined, production: boolean, problems: string[]): string[] | undefined {
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
