import { loadConfig } from '../../src/config/config';

/** The settings this service adds for operators: metrics, tracing, and the keys a newcomer types. */
describe('config: metrics, tracing and provider keys', () => {
  it('metrics are on by default, off with METRICS=off, and METRICS_PORT is a port', () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: true, port: undefined });
    expect(loadConfig({ METRICS: 'off' }).metrics.enabled).toBe(false);
    expect(loadConfig({ METRICS_PORT: '9464' }).metrics.port).toBe(9464);
    expect(() => loadConfig({ METRICS: 'yes' })).toThrow(/METRICS: must be 'on' or 'off'/);
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT: must be a whole number from 1 to 65535/);
  });

  it('tracing only when an OTLP endpoint or an exporter is named', () => {
    expect(loadConfig({}).tracing.exporter).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }).tracing.exporter).toBe('otlp');
    expect(loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:4318/v1/traces' }).tracing.exporter).toBe('otlp');
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'console' }).tracing.exporter).toBe('console');
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }).tracing.exporter).toBeUndefined();
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER: must be 'otlp', 'console' or 'none'/);
  });

  it('a restricted Stripe key (rk_) is accepted, and the message for a wrong one says so', () => {
    expect(loadConfig({ STRIPE_SECRET_KEY: 'rk_test_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc' }).stripe.mode).toBe('real');
    expect(() => loadConfig({ STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' })).toThrow(/rk_test_…/);
  });
});
