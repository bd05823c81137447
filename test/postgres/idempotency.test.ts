import { randomUUID } from 'node:crypto';
import { countOrders, startTestService, type TestService } from '../helpers/service.helpers';
import { keyRows, post, type RawAnswer } from '../e2e/idempotency.kit';
import { startPostgresService, type ScratchDatabase } from './postgres.helpers';

const CREATE = `mutation($input: CreateOrderInput!) { createOrder(input: $input) { accessToken order { id amount } } }`;
const body = { query: CREATE, variables: { input: { items: [{ sku: 'MUG-WHT', quantity: 1 }] } } };

/** Two instances on one PostgreSQL database: the idempotency table's primary key decides who runs first. */
describe('PostgreSQL: Idempotency-Key across instances', () => {
  let first: TestService & { database: ScratchDatabase };
  let second: TestService;

  beforeAll(async () => {
    first = await startPostgresService('idempotency', { SANDBOX: 'off' });
    second = await startTestService({ SANDBOX: 'off', DATABASE_URL: first.database.url });
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('createOrder ×10 with one key, alternating between the instances: one order; every answer is it or IN_USE', async () => {
    const key = randomUUID();
    const before = await countOrders(first);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post((i % 2 ? second : first).graphqlUrl, body, { key })));
    const created = answers.filter((a) => a.status === 200);
    const inUse = answers.filter((a) => a.status === 409);
    expect(created.length + inUse.length).toBe(10);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((a) => a.text)).size).toBe(1);
    for (const a of inUse) expect(a.json.errors![0].extensions).toEqual({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_IN_USE' });
    expect(await countOrders(first)).toBe(before + 1);

    const replays: RawAnswer[] = [await post(first.graphqlUrl, body, { key }), await post(second.graphqlUrl, body, { key })];
    for (const replay of replays) {
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.text).toBe(created[0].text);
    }
    const rows = await keyRows(first);
    expect(rows.filter((r) => r.status === 'COMPLETED')).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(created[0].json.data!.createOrder.accessToken);
  });

  it('an expired key is swept on PostgreSQL too', async () => {
    await post(first.graphqlUrl, body, { key: randomUUID() });
    const swept = await first.service.services.idempotency.sweepExpired(new Date(Date.now() + 25 * 3_600_000));
    expect(swept).toBeGreaterThan(0);
    expect(await keyRows(first)).toHaveLength(0);
  });
});
