import type { DeliveryRecord, RunningSandbox } from '../../src/sandbox/core/sandbox.types';
import { control, startTestSandbox, startWebhookReceiver, waitFor, type WebhookReceiver } from '../helpers/sandbox.helpers';
import { stripeClient, verify } from './stripe.kit';

let hooks: WebhookReceiver;
let sandbox: RunningSandbox;

beforeEach(async () => {
  hooks = await startWebhookReceiver();
  sandbox = await startTestSandbox({ stripe: { webhookUrl: `${hooks.url}/hooks` }, webhookTimeoutMs: 300 });
});
afterEach(async () => {
  await sandbox.close();
  await hooks.close();
});

/** A paid PaymentIntent: emits payment_intent.created, charge.succeeded and payment_intent.succeeded. */
const pay = () =>
  stripeClient(sandbox).paymentIntents.create({ amount: 1000, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', allowed_payment_method_types: ['card'] });

const deliveries = async (query = ''): Promise<DeliveryRecord[]> => (await control<DeliveryRecord[]>(sandbox, 'GET', `/deliveries${query}`)).body;
const eventIdFor = async (type: string, objectId: string): Promise<string> => {
  const { body } = await control(sandbox, 'GET', `/events?provider=stripe&eventType=${type}`);
  return body.find((e: { body: { data: { object: { id: string } } } }) => e.body.data.object.id === objectId).eventId;
};

describe('webhook delivery', () => {
  test('retries a 500 with fresh signatures and stops at the first 2xx', async () => {
    hooks.respond = (_n, hook) => (hook.json.type === 'payment_intent.succeeded' && hooks.received.filter((h) => h.json.id === hook.json.id).length <= 2 ? 500 : 200);
    const pi = await pay();
    await sandbox.idle();
    const [record] = await deliveries('?eventType=payment_intent.succeeded');
    expect(record).toMatchObject({ provider: 'stripe', delivered: true, url: `${hooks.url}/hooks` });
    expect(record.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    const copies = hooks.received.filter((h) => h.json.type === 'payment_intent.succeeded');
    expect(copies).toHaveLength(3);
    for (const c of copies) expect(verify(stripeClient(sandbox), c).data.object).toMatchObject({ id: pi.id });
  });

  test('gives up after the configured retries; a slow receiver counts as a timeout', async () => {
    hooks.respond = (_n, hook) => (hook.json.type === 'charge.succeeded' ? 503 : new Promise((r) => setTimeout(() => r(200), 600)));
    await pay();
    await sandbox.idle();
    const charge = (await deliveries('?eventType=charge.succeeded'))[0];
    expect(charge.delivered).toBe(false);
    expect(charge.attempts.map((a) => a.status)).toEqual([503, 503, 503, 503]);
    const slow = (await deliveries('?eventType=payment_intent.succeeded'))[0];
    expect(slow.attempts.map((a) => a.status)).toEqual(['timeout', 'timeout', 'timeout', 'timeout']);
  });

  test('hold, then release in a chosen order; copies arrive as concurrent duplicates', async () => {
    expect((await control(sandbox, 'POST', '/webhooks/hold', { provider: 'stripe', hold: true })).status).toBe(200);
    const a = await pay();
    const b = await pay();
    await sandbox.idle();
    expect(hooks.received).toHaveLength(0);
    const aId = await eventIdFor('payment_intent.succeeded', a.id);
    const bId = await eventIdFor('payment_intent.succeeded', b.id);
    const released = await control(sandbox, 'POST', '/webhooks/release', { provider: 'stripe', order: [bId, aId], copies: 2 });
    expect(released.body.released.slice(0, 2)).toEqual([bId, aId]);
    expect(released.body.released).toHaveLength(6);
    await sandbox.idle();
    const ids = hooks.received.map((h) => h.json.id as string);
    expect(ids.slice(0, 4)).toEqual([bId, bId, aId, aId]);
    expect(ids).toHaveLength(12);
    await control(sandbox, 'POST', '/webhooks/hold', { hold: false });
    await pay();
    await hooks.waitFor((r) => r.length === 15);
  });

  test('redeliver an event by id, several copies', async () => {
    const pi = await pay();
    await sandbox.idle();
    const id = await eventIdFor('payment_intent.succeeded', pi.id);
    expect((await control(sandbox, 'POST', '/webhooks/redeliver', { eventId: id, copies: 3 })).status).toBe(200);
    await sandbox.idle();
    expect(hooks.received.filter((h) => h.json.id === id)).toHaveLength(4);
    expect((await control(sandbox, 'POST', '/webhooks/redeliver', { eventId: 'evt_missing' })).status).toBe(404);
  });

  test('no webhook URL → recorded as undelivered; setWebhookUrls takes effect later', async () => {
    sandbox.setWebhookUrls({ stripe: undefined });
    await pay();
    await sandbox.idle();
    expect((await deliveries()).every((d) => !d.delivered && d.attempts.length === 0 && d.url === undefined)).toBe(true);
    sandbox.setWebhookUrls({ stripe: `${hooks.url}/later` });
    await pay();
    await hooks.waitFor((r) => r.length === 3);
    expect(hooks.received.every((h) => h.path === '/later')).toBe(true);
  });

  test('events listing carries bodies; deliveries filter by provider', async () => {
    const pi = await pay();
    await sandbox.idle();
    const { body } = await control(sandbox, 'GET', '/events?provider=stripe');
    expect(body.map((e: { eventType: string }) => e.eventType)).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded']);
    expect(body[2].body).toMatchObject({ object: 'event', data: { object: { id: pi.id } } });
    expect(await deliveries('?provider=paypal')).toEqual([]);
  });
});

describe('control input validation', () => {
  test.each([
    ['/faults', { provider: 'stripe', kind: 'explode' }, 'kind'],
    ['/faults', { provider: 'nope', kind: 'latency' }, 'provider'],
    ['/faults', { provider: 'stripe', kind: 'status', status: 404 }, 'status'],
    ['/faults', { provider: 'stripe', kind: 'latency', match: '(' }, 'match'],
    ['/faults', { provider: 'stripe', kind: 'latency', count: 0 }, 'count'],
    ['/webhooks/hold', {}, 'hold'],
    ['/webhooks/release', { copies: 0 }, 'copies'],
    ['/webhooks/redeliver', {}, 'eventId'],
  ])('POST %s %j → 400 naming %s', async (path, body, field) => {
    const res = await control(sandbox, 'POST', path, body);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect(res.body.error).toContain(field);
  });

  test('malformed JSON and unknown controls', async () => {
    const res = await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(res.status).toBe(400);
    expect((await control(sandbox, 'GET', '/nothing-here')).status).toBe(404);
  });

  test('idle() resolves once retries are done and waits for them', async () => {
    hooks.respond = () => 500;
    await pay();
    const started = Date.now();
    await sandbox.idle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    await waitFor(async () => (await deliveries()).every((d) => d.attempts.length === 4));
  });
});
