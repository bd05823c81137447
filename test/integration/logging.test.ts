import type { Client } from 'graphql-ws';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { captureLogs, collect, createOrder, eventually, gql, startTestService, type TestService, wsClient } from '../helpers/service.helpers';

/** Logs never contain the admin key or an order access token, whatever the request carried. */
describe('logs without secrets', () => {
  let ts: TestService;
  const log = captureLogs();
  const clients: Client[] = [];

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off', LOG_LEVEL: 'info' }, {}, { logger: createLogger('info', log.stream) });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await ts.close();
  });

  it('requests with the admin key and an access token (header, query string, WebSocket) leave no secret in the log', async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    await gql(ts.graphqlUrl, '{ orders { totalCount } }', undefined, ts.adminKey);
    await gql(ts.graphqlUrl, `query($id: ID!) { order(id: $id) { id } }`, { id }, token);
    await gql(ts.graphqlUrl, `query($id: ID!) { order(id: $id) { id } }`, { id }, `${ts.adminKey}x`);
    await fetch(`${ts.graphqlUrl}?query=${encodeURIComponent('{ products { sku } }')}&access_token=${token}&admin=${ts.adminKey}`, {
      headers: { authorization: `Bearer ${ts.adminKey}`, 'apollo-require-preflight': 'true' },
    });
    const owner = wsClient(ts.wsUrl, token);
    clients.push(owner);
    const sub = collect(owner, `subscription($id: ID!) { orderStatusChanged(orderId: $id) { status } }`, { id });
    await eventually(async () => ts.service.services.pubSub.subscriberCount(id) === 1, 'the subscription to listen');
    await gql(ts.graphqlUrl, `mutation($id: ID!) { cancelOrder(orderId: $id) { id } }`, { id }, ts.adminKey);
    await sub.waitFor((r) => Boolean(r.data));
    // An unexpected error is logged with its details: make one, and check it carries no secret either.
    await ts.service.orm.em.getConnection().execute(`create trigger fail_logging before insert on orders begin select raise(abort, 'injected'); end`);
    await gql(ts.graphqlUrl, 'mutation { createOrder(input: { items: [{ sku: "MUG-WHT", quantity: 1 }] }) { accessToken } }', undefined, ts.adminKey);
    await ts.service.orm.em.getConnection().execute('drop trigger fail_logging');

    const requests = log.lines.map((l) => JSON.parse(l) as { msg: string; path?: string; method?: string });
    expect(requests.filter((r) => r.msg === 'request' && r.path === '/graphql').length).toBeGreaterThanOrEqual(6);
    expect(requests.some((r) => r.msg.startsWith('unexpected error'))).toBe(true);
    const text = log.text();
    expect(text).not.toContain(ts.adminKey);
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(3));
  });

  it('redacts credentials wherever a log object carries them', () => {
    const own = captureLogs();
    const logger = createLogger('info', own.stream);
    const secret = 'sk_test_shouldNeverBeLogged';
    logger.info({ req: { headers: { authorization: `Bearer ${secret}`, cookie: secret, 'stripe-signature': secret } } }, 'a');
    logger.info({ authorization: secret, accessToken: secret, adminApiKey: secret, secretKey: secret, webhookSecret: secret, clientSecret: secret }, 'b');
    logger.info({ config: { adminApiKey: secret }, payload: { token: secret, password: secret } }, 'c');
    expect(own.lines).toHaveLength(3);
    expect(own.text()).not.toContain(secret);
    expect(own.text()).toContain('[redacted]');
  });
});

describe('redaction depth', () => {
  it('censors secrets nested in a logged configuration object', () => {
    const log = captureLogs();
    const config = loadConfig({
      STRIPE_SECRET_KEY: 'sk_test_nestedsecret123',
      STRIPE_WEBHOOK_SECRET: 'whsec_nestedsecret456',
      ADMIN_API_KEY: 'admin-key-that-is-long-enough-1234',
    });
    createLogger('info', log.stream).info({ config, wrapped: { config } }, 'config');
    expect(log.text()).toContain('[redacted]');
    for (const secret of ['sk_test_nestedsecret123', 'whsec_nestedsecret456', 'admin-key-that-is-long-enough-1234']) {
      expect(log.text()).not.toContain(secret);
    }
  });
});
