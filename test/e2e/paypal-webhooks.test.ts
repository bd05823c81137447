import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { WebhookEventEntity } from '../../src/db/entities';
import { SANDBOX_DEFAULTS } from '../../src/sandbox/core/sandbox.defaults';
import { signingIdentity } from '../../src/sandbox/paypal/paypal.signing';
import { startTestSandbox } from '../helpers/sandbox.helpers';
import { createOrder, eventually, gql, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { paypal as sdk } from '../sandbox/paypal.helpers';
import { makeIdentity, signAs, startCertServer } from './paypal.certs';
import {
  CANCEL_URL, CREATE, RETURN_URL, buyer, coreControl, getOrder, orderWithPayPal, paypalControl, postWebhook, sandboxEvents, sandboxSignature, startPayPalService,
} from './paypal.kit';
import { reference } from '../helpers/reference';

const SAMPLES = reference('paypal', 'events');

/** The shop's PayPal account acting outside our service (PayPal's dashboard, another integration). */
function merchant(ts: TestService) {
  const base = ts.service.sandbox!.url;
  const client = new sdk.core.PayPalHttpClient(new sdk.core.PayPalEnvironment(SANDBOX_DEFAULTS.paypalClientId, SANDBOX_DEFAULTS.paypalClientSecret, base, base));
  return {
    capture: async (orderId: string) => (await client.execute<any>(new sdk.orders.OrdersCaptureRequest(orderId).requestBody({}))).result,
    refund: async (captureId: string, value: string) => (await client.execute<any>(new sdk.payments.CapturesRefundRequest(captureId).requestBody({ amount: { currency_code: 'USD', value } }))).result,
  };
}

async function storedEvents(ts: TestService, eventId: string): Promise<number> {
  return ts.service.orm.em.fork().count(WebhookEventEntity, { eventId });
}

/** The inbox status of a stored event, once the worker has applied everything. */
async function settledStatus(ts: TestService, eventId: string): Promise<string | undefined> {
  await webhooksSettled(ts);
  return (await ts.service.orm.em.fork().findOne(WebhookEventEntity, { eventId }))?.status;
}

/**
 * With PayPal's webhooks held, a buyer approves and the merchant captures outside our service:
 * the order is still PENDING here and only the held events can tell us what happened.
 */
async function capturedBehindOurBack(ts: TestService, steps: { pendingFirst?: boolean; refund?: string } = {}) {
  const order = await orderWithPayPal(ts);
  const seen = (await sandboxEvents(ts)).length;
  await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: true });
  await buyer(order.paypal.approveUrl, 'approve');
  if (steps.pendingFirst) await paypalControl(ts, 'POST', `/orders/${order.paypal.paypalOrderId}/next-capture`, { status: 'PENDING' });
  const captured = await merchant(ts).capture(order.paypal.paypalOrderId);
  const captureId: string = captured.purchase_units[0].payments.captures[0].id;
  if (steps.pendingFirst) await paypalControl(ts, 'POST', `/captures/${captureId}/complete`);
  if (steps.refund) await merchant(ts).refund(captureId, steps.refund);
  const events = (await sandboxEvents(ts)).slice(seen);
  return { ...order, captureId, events, completed: events.find((e) => e.eventType === 'PAYMENT.CAPTURE.COMPLETED')! };
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('POST /webhooks/paypal with certificate verification (sandbox mode)', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startPayPalService();
  });

  afterEach(async () => {
    await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: false });
  });

  afterAll(async () => {
    await ts.close();
  });

  it('refuses forged, altered, stale and incomplete deliveries with 400 and applies nothing; the genuine one then applies', async () => {
    const paid = await capturedBehindOurBack(ts);
    const body = paid.completed.body;
    const eventId = paid.completed.id;
    const sandboxCert = await paypalControl<{ certUrl: string; webhookId: string }>(ts, 'GET', '/cert');
    const stranger = makeIdentity();
    const certs = await startCertServer({ 'CERT-stranger': stranger.certPem, 'CERT-sandbox': signingIdentity().certPem });
    try {
      const genuine = await sandboxSignature(ts, body);
      const sevenHoursAgo = new Date(Date.now() - 7 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const cases: [string, string, Record<string, string>, RegExp][] = [
        ['tampered body', body.replace('"50.00"', '"5.00"'), genuine, /signature mismatch/],
        ['wrong webhook id', body, await sandboxSignature(ts, body, { webhookId: 'WH-SOMEONE-ELSES-HOOK' }), /signature mismatch/],
        ['certificate on a foreign host', body, signAs(stranger.privateKey, body, { webhookId: sandboxCert.webhookId, certUrl: certs.url('CERT-stranger') }), /PAYPAL-CERT-URL host .* is not trusted/],
        ["the sandbox's own certificate, re-served from a foreign host", body, await sandboxSignature(ts, body, { certUrl: certs.url('CERT-sandbox') }), /is not trusted/],
        ['a signature from another key under the trusted certificate URL', body, signAs(stranger.privateKey, body, { webhookId: sandboxCert.webhookId, certUrl: sandboxCert.certUrl }), /signature mismatch/],
        ['plain http on a PayPal host', body, await sandboxSignature(ts, body, { certUrl: 'http://api.paypal.com/v1/notifications/certs/CERT-1' }), /is not trusted/],
        ['a PayPal host with a query', body, await sandboxSignature(ts, body, { certUrl: 'https://api.paypal.com/v1/notifications/certs/CERT-1?x=1' }), /is not trusted/],
        ['a PayPal host with user info', body, await sandboxSignature(ts, body, { certUrl: 'https://evil@api.paypal.com/v1/notifications/certs/CERT-1' }), /is not trusted/],
        ['a PayPal host outside the certificate path', body, await sandboxSignature(ts, body, { certUrl: 'https://api.paypal.com/v1/oauth2/token' }), /is not trusted/],
        ['a stale transmission (replay)', body, signAs(signingIdentity().privateKey, body, { webhookId: sandboxCert.webhookId, certUrl: sandboxCert.certUrl, time: sevenHoursAgo }), /too old/],
        ['another algorithm', body, { ...genuine, 'PAYPAL-AUTH-ALGO': 'SHA1withRSA' }, /not SHA256withRSA/],
      ];
      for (const name of ['PAYPAL-TRANSMISSION-ID', 'PAYPAL-TRANSMISSION-TIME', 'PAYPAL-TRANSMISSION-SIG', 'PAYPAL-CERT-URL', 'PAYPAL-AUTH-ALGO']) {
        const headers = { ...genuine };
        delete headers[name];
        cases.push([`missing ${name}`, body, headers, new RegExp(`missing header ${name}`)]);
      }
      for (const [what, sent, headers, reason] of cases) {
        const res = await postWebhook(ts, sent, headers);
        expect({ what, status: res.status }).toEqual({ what, status: 400 });
        expect({ what, error: res.json.error }).toEqual({ what, error: expect.stringMatching(reason) });
      }
      // The foreign host was never even asked for its certificate.
      expect(certs.requests).toEqual([]);
      expect(await storedEvents(ts, eventId)).toBe(0);
      expect((await getOrder(ts, paid.id)).status).toBe('PENDING');

      const ok = await postWebhook(ts, body, genuine);
      expect(ok.status).toBe(200);
      expect(ok.json).toMatchObject({ result: 'stored', eventId });
      expect(await settledStatus(ts, eventId)).toBe('APPLIED');
      const after = await getOrder(ts, paid.id);
      expect(after.status).toBe('PAID');
      expect(after.payments[0].providerChargeId).toBe(paid.captureId);
      expect(after.events.find((e: any) => e.toStatus === 'PAID').source).toBe(`paypal:${eventId}`);
    } finally {
      await certs.close();
    }
  });

  it('the same event delivered 50 times at once is stored and applied once', async () => {
    const paid = await capturedBehindOurBack(ts);
    const headers = await sandboxSignature(ts, paid.completed.body);
    const results = await Promise.all(Array.from({ length: 50 }, () => postWebhook(ts, paid.completed.body, headers)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(results.filter((r) => r.json.result === 'stored')).toHaveLength(1);
    expect(results.filter((r) => r.json.result === 'duplicate')).toHaveLength(49);
    expect(await storedEvents(ts, paid.completed.id)).toBe(1);
    expect(await settledStatus(ts, paid.completed.id)).toBe('APPLIED');
    const after = await getOrder(ts, paid.id);
    expect(after.status).toBe('PAID');
    expect(after.events.filter((e: any) => e.toStatus === 'PAID')).toHaveLength(1);
  });

  it('every delivery order of one payment\'s events (approved, capture pending, completed, refunded) converges to the same state', async () => {
    const finals = new Set<string>();
    const orders = permutations([0, 1, 2, 3]);
    for (const permutation of orders) {
      const paid = await capturedBehindOurBack(ts, { pendingFirst: true, refund: '20.00' });
      expect(paid.events.map((e) => e.eventType)).toEqual(['CHECKOUT.ORDER.APPROVED', 'PAYMENT.CAPTURE.PENDING', 'PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.CAPTURE.REFUNDED']);
      for (const index of permutation) {
        const event = paid.events[index];
        const res = await postWebhook(ts, event.body, await sandboxSignature(ts, event.body));
        expect(res.status).toBe(200);
      }
      await webhooksSettled(ts);
      const after = await getOrder(ts, paid.id);
      // Never backwards, whatever came first: PENDING (our createPayPalOrder) → PAID → PARTIALLY_REFUNDED.
      expect(after.events.filter((e: any) => e.type === 'STATUS_CHANGED').map((e: any) => e.toStatus)).toEqual(['PENDING', 'PAID', 'PARTIALLY_REFUNDED']);
      finals.add(JSON.stringify({
        status: after.status,
        amountRefunded: after.amountRefunded,
        payments: after.payments.map((p: any) => [p.status, p.providerChargeId === paid.captureId]),
        refunds: after.refunds.map((r: any) => [r.amount, r.status]),
      }));
    }
    expect([...finals]).toEqual([JSON.stringify({ status: 'PARTIALLY_REFUNDED', amountRefunded: 2000, payments: [['SUCCEEDED', true]], refunds: [[2000, 'SUCCEEDED']] })]);
  });

  it("accepts PayPal's published sample events (exact bytes, re-signed with the sandbox key) and stores them", async () => {
    const files = [...readdirSync(SAMPLES).filter((f) => f.endsWith('.json') && f !== 'PROVENANCE.json'), ...readdirSync(path.join(SAMPLES, 'alt')).map((f) => `alt/${f}`)];
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const bytes = readFileSync(path.join(SAMPLES, file));
      const event = JSON.parse(bytes.toString('utf8'));
      const headers = await sandboxSignature(ts, bytes.toString('utf8'));
      const res = await postWebhook(ts, bytes, headers);
      expect({ file, status: res.status }).toEqual({ file, status: 200 });
      expect(res.json.eventId).toBe(event.id);
      // None of these samples is about one of our payments: verified, stored, mapped, and left alone.
      expect(['stored', 'duplicate']).toContain(res.json.result);
      expect(await storedEvents(ts, event.id)).toBe(1);
      // The samples' first copy was stored here (IGNORED); one the sender delivered twice keeps its first status.
      if (res.json.result === 'stored') expect(await settledStatus(ts, event.id)).toBe('IGNORED');
    }
  });

  it('verifies the CRC32 > 2^31 test vector body (PAYMENT.CAPTURE.COMPLETED.json, crc 4105353325)', async () => {
    const bytes = readFileSync(path.join(SAMPLES, 'PAYMENT.CAPTURE.COMPLETED.json'));
    expect(crc32(bytes) >>> 0).toBe(4105353325);
    const res = await postWebhook(ts, bytes, await sandboxSignature(ts, bytes.toString('utf8')));
    // Verified (a duplicate is only recognised after verification): the sample test may have stored it already.
    expect(res.status).toBe(200);
    expect(['stored', 'duplicate']).toContain(res.json.result);
    // One byte more (a trailing newline) is a different CRC, so the same signature fails.
    const altered = await postWebhook(ts, Buffer.concat([bytes, Buffer.from('\n')]), await sandboxSignature(ts, bytes.toString('utf8')));
    expect(altered.status).toBe(400);
  });
});

describe("the built-in sandbox's certificate is trusted only when PayPal runs on the sandbox", () => {
  it('with real credentials (PAYPAL_API_BASE pointing at a sandbox), sandbox-signed webhooks are refused', async () => {
    const sandbox = await startTestSandbox({ paypal: { clientId: 'real-mode-client', clientSecret: 'real-mode-secret', webhookId: 'WH-REAL-0001' } });
    const ts = await startTestService({
      PAYPAL_CLIENT_ID: 'real-mode-client', PAYPAL_CLIENT_SECRET: 'real-mode-secret', PAYPAL_WEBHOOK_ID: 'WH-REAL-0001', PAYPAL_API_BASE: sandbox.url,
    }).catch(async (error: unknown) => {
      await sandbox.close();
      throw error;
    });
    try {
      expect(ts.service.services.config.paypal.mode).toBe('real');
      // The API itself works against PAYPAL_API_BASE ...
      const order = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
      const created = await gql(ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: CANCEL_URL } }, order.token);
      expect(created.data!.createPayPalOrder.approveUrl.startsWith(`${sandbox.url}/paypal/checkoutnow`)).toBe(true);
      // ... but a certificate from a non-PayPal host is not trusted, however well it signs.
      const body = JSON.stringify({ id: 'WH-FORGED-1', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: {} });
      const certUrl = `${sandbox.url}/v1/notifications/certs/${signingIdentity().certId}`;
      const res = await postWebhook(ts, body, signAs(signingIdentity().privateKey, body, { webhookId: 'WH-REAL-0001', certUrl }));
      expect(res.status).toBe(400);
      expect(res.json.error).toMatch(/is not trusted/);
    } finally {
      await ts.close();
      await sandbox.close();
    }
  });
});

describe('POST /webhooks/paypal with PAYPAL_WEBHOOK_VERIFY=api', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startPayPalService({ PAYPAL_WEBHOOK_VERIFY: 'api' });
  });

  afterAll(async () => {
    await ts.close();
  });

  it("applies deliveries PayPal's verify-webhook-signature confirms, and refuses altered ones with 400", async () => {
    const order = await orderWithPayPal(ts);
    await buyer(order.paypal.approveUrl, 'approve');
    await merchant(ts).capture(order.paypal.paypalOrderId);
    await eventually(async () => (await getOrder(ts, order.id)).status === 'PAID', 'PAID from a postback-verified webhook');

    const completed = (await sandboxEvents(ts)).find((e) => e.eventType === 'PAYMENT.CAPTURE.COMPLETED')!;
    const tampered = completed.body.replace('"COMPLETED"', '"DECLINED"');
    const res = await postWebhook(ts, tampered, await sandboxSignature(ts, completed.body));
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/verify-webhook-signature answered FAILURE/);
  });
});
