import { loadConfig } from '../../src/config/config';
import { ConfigError } from '../../src/config/config.error';
import { startTestService, type TestService } from '../helpers/service.helpers';

/** A browser's preflight for a cross-origin POST carrying a bearer token. */
function preflight(graphqlUrl: string, origin: string) {
  return fetch(graphqlUrl, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
  });
}

describe('CORS on /graphql', () => {
  let service: TestService;
  afterEach(async () => service?.close());

  it('lets a listed frontend origin call the API with a bearer token, and no other origin', async () => {
    service = await startTestService({ SANDBOX: 'off', CORS_ORIGINS: 'https://shop.example.com' });
    const allowed = await preflight(service.graphqlUrl, 'https://shop.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const other = await preflight(service.graphqlUrl, 'https://evil.example.net');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows any origin in development when CORS_ORIGINS is unset', async () => {
    service = await startTestService({ SANDBOX: 'off', NODE_ENV: 'development', LOG_LEVEL: 'silent' });
    const res = await preflight(service.graphqlUrl, 'http://localhost:5173');
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });
});

describe('CORS_ORIGINS configuration', () => {
  it('is same-origin only in production unless listed', () => {
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(24), PUBLIC_URL: 'https://pay.example.com' }).corsOrigins).toEqual([]);
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_API_KEY: 'a'.repeat(24), PUBLIC_URL: 'https://pay.example.com', CORS_ORIGINS: '*' }).corsOrigins).toBe(true);
  });

  it('names the variable when an entry is not an origin', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'shop.example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: 'shop.example.com' })).toThrow(/CORS_ORIGINS: 'shop.example.com' is not an http\(s\) origin/);
  });
});
