import { recordSql } from '../helpers/sql-recorder';
import { randomUUID } from 'node:crypto';
import { scopeIdempotencyKey } from '../../src/domain/idempotency/idempotency-key';
import { countOrders, startTestService, type TestService } from '../helpers/service.helpers';
import { CHARGE, newOrder, orderOf, REFUND, sandboxEvents, sandboxStripe } from './stripe.e2e-helpers';
import { holdStripeCall, keyRows, post, startAnswerCuttingProxy } from './idempotency.kit';

const CREATE = `mutation($input: CreateOrderInput!) { createOrder(input: $input) { accessToken order { id amount currency status } } }`;
const createBody = (quantity = 1) => ({ query: CREATE, variables: { input: { items: [{ sku: 'MUG-WHT', quantity }], customerEmail: 'buyer@example.com' } } });
const chargeBody = (orderId: string, token: string) => ({ query: CHARGE, variables: { input: { orderId, token } } });

/** Idempotency-Key on our own mutations (CONTRACT §2), over real HTTP, against the service and its Stripe sandbox. */
describe('Idempotency-Key on mutations', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on' });
  });

  afterAll(async () => {
    await ts.close();
  });

  /** How many Stripe events of this type the sandbox emitted for the order (its charges carry our orderId). */
  async function stripeEventsFor(orderId: string, type: string): Promise<number> {
    await ts.service.sandbox!.idle();
    return (await sandboxEvents(ts)).filter((e) => e.eventType === type && e.body.data.object.metadata?.orderId === orderId).length;
  }

  it('createOrder twice with one key: one order, the same bytes (id and token) again with Idempotent-Replayed: true', async () => {
    const key = randomUUID();
    const before = await countOrders(ts);
    const first = await post(ts.graphqlUrl, createBody(), { key });
    expect(first.json.errors).toBeUndefined();
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await post(ts.graphqlUrl, createBody(), { key });
    expect(again.status).toBe(first.status);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect(again.json.data!.createOrder.accessToken).toBe(first.json.data!.createOrder.accessToken);
    expect(await countOrders(ts)).toBe(before + 1);
  });

  it('the same key with another body is CONFLICT IDEMPOTENCY_KEY_REUSED naming what differs, and creates nothing', async () => {
    const key = randomUUID();
    await post(ts.graphqlUrl, createBody(1), { key });
    const before = await countOrders(ts);
    const other = await post(ts.graphqlUrl, createBody(3), { key });
    expect(other.status).toBe(409);
    expect(other.json.errors![0].extensions).toEqual({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(other.json.errors![0].message).toContain('different variables: input.items[0].quantity');
    expect(other.json.data).toBeUndefined();

    const otherOperation = await post(ts.graphqlUrl, { ...createBody(1), query: CREATE.replace('status', '') }, { key });
    expect(otherOperation.json.errors![0].extensions).toEqual({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(otherOperation.json.errors![0].message).toContain('another operation');
    expect(await countOrders(ts)).toBe(before);
  });

  it('chargeWithToken tok_visa whose answer was cut after the server committed: the retry returns the same result, one charge at Stripe', async () => {
    const { id, token } = await newOrder(ts);
    const key = randomUUID();
    const proxy = await startAnswerCuttingProxy(ts.service.port);
    try {
      await expect(post(`${proxy.url}/graphql`, chargeBody(id, 'tok_visa'), { key, token })).rejects.toThrow();
    } finally {
      await proxy.close();
    }
    // The server finished: the order is paid although the client never heard so.
    expect((await orderOf(ts, id)).status).toBe('PAID');
    const retry = await post(ts.graphqlUrl, chargeBody(id, 'tok_visa'), { key, token });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json.errors).toBeUndefined();
    const result = retry.json.data!.chargeWithToken;
    expect(result.order.payments).toHaveLength(1);
    expect(result.chargeId).toBe(result.order.payments[0].providerChargeId);
    expect(await stripeEventsFor(id, 'charge.succeeded')).toBe(1);
    expect((await orderOf(ts, id)).payments).toHaveLength(1);
  });

  it('a client that gives up while Stripe is slow gets IN_USE (Retry-After: 1) while the charge runs, then its result', async () => {
    const { id, token } = await newOrder(ts);
    const key = randomUUID();
    await holdStripeCall(ts, 'POST /v1/payment_intents', 1500);
    const gaveUp = new AbortController();
    const first = post(ts.graphqlUrl, chargeBody(id, 'tok_visa'), { key, token }, gaveUp.signal);
    await waitForRow(() => keyRows(ts), (rows) => rows.some((r) => r.status === 'IN_PROGRESS'));
    gaveUp.abort();
    await expect(first).rejects.toThrow();
    const tooSoon = await post(ts.graphqlUrl, chargeBody(id, 'tok_visa'), { key, token });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.headers.get('retry-after')).toBe('1');
    expect(tooSoon.json.errors![0].extensions).toEqual({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_IN_USE' });
    // The server carries on without the client; once it is done, the retry gets its answer.
    await waitForRow(() => keyRows(ts), (rows) => rows.every((r) => r.status === 'COMPLETED'));
    const retry = await post(ts.graphqlUrl, chargeBody(id, 'tok_visa'), { key, token });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json.data!.chargeWithToken.order.status).toBe('PAID');
    expect(await stripeEventsFor(id, 'charge.succeeded')).toBe(1);
  });

  it('chargeWithToken tok_chargeDeclined retried with the same key: the same PROVIDER_ERROR, one attempt', async () => {
    const { id, token } = await newOrder(ts);
    const key = randomUUID();
    const first = await post(ts.graphqlUrl, chargeBody(id, 'tok_chargeDeclined'), { key, token });
    expect(first.json.errors![0].extensions).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'card_declined' });
    const again = await post(ts.graphqlUrl, chargeBody(id, 'tok_chargeDeclined'), { key, token });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(first.text);
    expect((await orderOf(ts, id)).payments).toHaveLength(1);
    expect(await stripeEventsFor(id, 'charge.failed')).toBe(1);
  });

  it('refundOrder ×10 at once with one key: one refund; the other nine are IN_USE with Retry-After: 1, then replayed', async () => {
    const { id, token } = await newOrder(ts);
    const paid = await post(ts.graphqlUrl, chargeBody(id, 'tok_visa'), { token });
    const chargeId = paid.json.data!.chargeWithToken.chargeId as string;
    const key = randomUUID();
    const refundBody = { query: REFUND, variables: { input: { orderId: id, amount: 1000 } } };
    // Deterministic: the first request holds the key while Stripe holds its refund call for 3 s; the
    // other nine are sent once its claim is in the table, so all of them arrive while it runs.
    await holdStripeCall(ts, 'POST /v1/refunds', 3000);
    const first = post(ts.graphqlUrl, refundBody, { key, token: ts.adminKey });
    await waitForRow(() => keyRows(ts), (rows) => rows.some((r) => r.status === 'IN_PROGRESS'));
    const others = await Promise.all(Array.from({ length: 9 }, () => post(ts.graphqlUrl, refundBody, { key, token: ts.adminKey })));
    for (const other of others) {
      expect(other.status).toBe(409);
      expect(other.headers.get('retry-after')).toBe('1');
      expect(other.json.errors![0].extensions).toEqual({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_IN_USE' });
    }
    const done = await first;
    expect(done.json.data!.refundOrder).toMatchObject({ amount: 1000, status: 'SUCCEEDED' });
    const later = await post(ts.graphqlUrl, refundBody, { key, token: ts.adminKey });
    expect(later.headers.get('idempotent-replayed')).toBe('true');
    expect(later.text).toBe(done.text);

    expect((await orderOf(ts, id)).refunds).toHaveLength(1);
    const atStripe = await sandboxStripe(ts).charges.retrieve(chargeId, { expand: ['refunds'] });
    expect(atStripe.amount_refunded).toBe(1000);
    expect(atStripe.refunds!.data).toHaveLength(1);
  });

  it('the same key from two order tokens runs twice, independently (same operation, same variables)', async () => {
    const a = await newOrder(ts);
    const b = await newOrder(ts);
    const key = 'one-key-two-callers';
    const before = await countOrders(ts);
    const fromA = await post(ts.graphqlUrl, createBody(), { key, token: a.token });
    const fromB = await post(ts.graphqlUrl, createBody(), { key, token: b.token });
    expect(fromB.headers.get('idempotent-replayed')).toBeNull();
    expect(fromB.json.data!.createOrder.order.id).not.toBe(fromA.json.data!.createOrder.order.id);
    expect(await countOrders(ts)).toBe(before + 2);
    const againA = await post(ts.graphqlUrl, createBody(), { key, token: a.token });
    expect(againA.headers.get('idempotent-replayed')).toBe('true');
    expect(againA.text).toBe(fromA.text);
  });

  it('the stored row holds neither the access token, the order id nor the key in clear', async () => {
    const key = randomUUID();
    const created = await post(ts.graphqlUrl, createBody(), { key });
    const { accessToken, order } = created.json.data!.createOrder;
    const stored = (await keyRows(ts)).filter((r) => r.status === 'COMPLETED');
    expect(stored.length).toBeGreaterThan(0);
    const table = JSON.stringify(stored);
    for (const secret of [accessToken, accessToken.slice(3), order.id, key, 'buyer@example.com']) expect(table).not.toContain(secret);
    expect(stored.every((r) => /^v1\./.test(r.response))).toBe(true);
  });

  it('responses that left nothing behind are not kept: invalid input, FORBIDDEN; the key then runs the fixed request', async () => {
    const key = randomUUID();
    const bad = await post(ts.graphqlUrl, { query: CREATE, variables: { input: { items: [{ sku: 'NO-SUCH-SKU', quantity: 1 }] } } }, { key });
    expect(bad.json.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const fixed = await post(ts.graphqlUrl, createBody(), { key });
    expect(fixed.json.errors).toBeUndefined();
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();

    const a = await newOrder(ts);
    const b = await newOrder(ts);
    const forbiddenKey = 'forbidden-then-again';
    const denied = await post(ts.graphqlUrl, chargeBody(b.id, 'tok_visa'), { key: forbiddenKey, token: a.token });
    expect(denied.json.errors![0].extensions!.code).toBe('FORBIDDEN');
    const deniedAgain = await post(ts.graphqlUrl, chargeBody(b.id, 'tok_visa'), { key: forbiddenKey, token: a.token });
    expect(deniedAgain.json.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(deniedAgain.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a bad key, a short anonymous key and a batch with a key are BAD_USER_INPUT, and nothing is created', async () => {
    const before = await countOrders(ts);
    const tooLong = await post(ts.graphqlUrl, createBody(), { key: 'k'.repeat(256) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.errors![0]).toMatchObject({ message: expect.stringContaining('1–255'), extensions: { code: 'BAD_USER_INPUT', field: 'Idempotency-Key' } });
    const notAscii = await post(ts.graphqlUrl, createBody(), { key: `${randomUUID()}\u00e9` });
    expect(notAscii.json.errors![0].message).toContain('printable ASCII');
    const short = await post(ts.graphqlUrl, createBody(), { key: 'short-key' });
    expect(short.json.errors![0]).toMatchObject({ message: expect.stringContaining('at least 32'), extensions: { code: 'BAD_USER_INPUT' } });
    const batch = await post(ts.graphqlUrl, [createBody(), createBody(2)], { key: randomUUID() });
    expect(batch.status).toBe(400);
    expect(batch.json.errors![0]).toMatchObject({ message: expect.stringContaining('one operation'), extensions: { code: 'BAD_USER_INPUT' } });
    expect(await countOrders(ts)).toBe(before);
  });

  it('a query with the header ignores it, even a malformed key', async () => {
    const products = { query: '{ products { sku } }' };
    const first = await post(ts.graphqlUrl, products, { key: 'x' });
    const second = await post(ts.graphqlUrl, products, { key: 'x' });
    expect(first.json.data!.products.length).toBeGreaterThan(0);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect((await post(ts.graphqlUrl, products, { key: '' })).json.errors).toBeUndefined();
  });

  it('an expired key that was not swept yet is taken over by the next request', async () => {
    const key = randomUUID();
    const first = await post(ts.graphqlUrl, createBody(), { key });
    // Expire the row by hand; this service sweeps only every 10 minutes, so the row is still there.
    const { hash } = scopeIdempotencyKey(key, { kind: 'anonymous' });
    await ts.service.orm.em.getConnection().execute('update idempotency_keys set expires_at = ? where key_hash = ?', [new Date(Date.now() - 1000), hash]);
    expect((await keyRows(ts)).filter((r) => r.key_hash === hash)).toHaveLength(1);
    const fresh = await post(ts.graphqlUrl, createBody(), { key });
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect(fresh.json.data!.createOrder.order.id).not.toBe(first.json.data!.createOrder.order.id);
  });
  it('a claim whose process died (IN_PROGRESS, lease over) is taken over; one still within its lease is IN_USE', async () => {
    const key = randomUUID();
    const first = await post(ts.graphqlUrl, createBody(), { key });
    const { hash } = scopeIdempotencyKey(key, { kind: 'anonymous' });
    const setClaim = (lockedUntil: Date) =>
      ts.service.orm.em.getConnection().execute("update idempotency_keys set status = 'IN_PROGRESS', response = null, locked_until = ? where key_hash = ?", [lockedUntil, hash]);
    await setClaim(new Date(Date.now() + 60_000));
    expect((await post(ts.graphqlUrl, createBody(), { key })).json.errors![0].extensions!.reason).toBe('IDEMPOTENCY_KEY_IN_USE');
    await setClaim(new Date(Date.now() - 1000));
    const takenOver = await post(ts.graphqlUrl, createBody(), { key });
    expect(takenOver.headers.get('idempotent-replayed')).toBeNull();
    expect(takenOver.json.data!.createOrder.order.id).not.toBe(first.json.data!.createOrder.order.id);
    expect((await post(ts.graphqlUrl, createBody(), { key })).text).toBe(takenOver.text);
  });

  it('the caller’s credential is part of the sealing key: after the admin key changed, the old response is not replayed', async () => {
    const key = 'admin-short-key';
    const first = await post(ts.graphqlUrl, createBody(), { key, token: ts.adminKey });
    expect(first.json.errors).toBeUndefined();
    const rotated = await startTestService({ SANDBOX: 'off', ADMIN_API_KEY: 'a-rotated-admin-key-0123456789' }, {}, { databasePath: ts.databasePath });
    try {
      const again = await post(rotated.graphqlUrl, createBody(), { key, token: rotated.adminKey });
      expect(again.status).toBe(409);
      expect(again.json.errors![0]).toMatchObject({ message: expect.stringContaining('other credentials'), extensions: { code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' } });
    } finally {
      await rotated.close();
    }
    expect((await post(ts.graphqlUrl, createBody(), { key, token: ts.adminKey })).text).toBe(first.text);
  });

  it('costs two SQL statements on a first run (claim, store); a replay runs none of the mutation’s', async () => {
    const sql = recordSql(ts);
    const count = (send: () => Promise<unknown>) => sql.during(send);
    const key = randomUUID();
    const plain = await count(() => post(ts.graphqlUrl, createBody()));
    const first = await count(() => post(ts.graphqlUrl, createBody(), { key }));
    expect(first.length).toBe(plain.length + 2);
    expect(first.filter((q) => /idempotency_keys/.test(q)).map((q) => q.split(' ')[0].toLowerCase())).toEqual(['insert', 'update']);
    const replay = await count(() => post(ts.graphqlUrl, createBody(), { key }));
    expect(replay.map((q) => q.split(' ')[0].toLowerCase())).toEqual(['insert', 'select']);
    expect(replay.every((q) => /idempotency_keys/.test(q))).toBe(true);
  });

  it('the browser may send the header and read Idempotent-Replayed (CORS)', async () => {
    const preflight = await fetch(ts.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: 'http://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' },
    });
    expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const res = await fetch(ts.graphqlUrl, { method: 'POST', headers: { origin: 'http://shop.example', 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ products { sku } }' }) });
    expect(res.headers.get('access-control-expose-headers')).toContain('Idempotent-Replayed');
  });
});

/** After the TTL (shortened here to 1.8 s) the sweep deletes the key, and the key runs a new request. */
describe('Idempotency-Key expiry', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on', IDEMPOTENCY_TTL_HOURS: '0.0005' });
  });

  afterAll(async () => {
    await ts.close();
  });

  it('within the TTL the answer is replayed; after it the key is swept and can be used again', async () => {
    const key = randomUUID();
    const first = await post(ts.graphqlUrl, createBody(), { key });
    const replayed = await post(ts.graphqlUrl, createBody(), { key });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    await waitForRow(() => keyRows(ts), (rows) => rows.length === 0, 8000);
    const fresh = await post(ts.graphqlUrl, createBody(), { key });
    expect(fresh.headers.get('idempotent-replayed')).toBeNull();
    expect(fresh.json.data!.createOrder.order.id).not.toBe(first.json.data!.createOrder.order.id);
  });
});

async function waitForRow<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
