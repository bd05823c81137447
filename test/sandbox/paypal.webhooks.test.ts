import { X509Certificate, createVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { crc32Unsigned } from '../../src/sandbox/paypal/paypal.signing';
import { WEBHOOK_ID, expectSchema, orderBody, paypal, startPayPalSandbox, startPayPalWebhookReceiver, type ReceivedWebhook, type SdkClient, type TestSandbox } from './paypal.helpers';
import { reference } from '../helpers/reference';

/** Self-verification exactly as PayPal documents it, using the certificate downloaded from PAYPAL-CERT-URL. */
async function verifyOffline(hook: ReceivedWebhook, webhookId = WEBHOOK_ID, body: Buffer = hook.raw): Promise<boolean> {
  const h = hook.headers;
  const pem = await (await fetch(String(h['paypal-cert-url']))).text();
  const cert = new X509Certificate(pem);
  expect(cert.subject).toContain('CN=messageverificationcerts.sandbox.paypal.com');
  expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 24 * 3600 * 1000);
  const message = `${String(h['paypal-transmission-id'])}|${String(h['paypal-transmission-time'])}|${webhookId}|${crc32Unsigned(body)}`;
  const verifier = createVerify('RSA-SHA256');
  verifier.update(message);
  return verifier.verify(cert.publicKey, String(h['paypal-transmission-sig']), 'base64');
}

describe('PayPal sandbox: webhook signatures', () => {
  it('computes the README CRC32 test vector unsigned (> 2^31)', () => {
    const body = readFileSync(reference('paypal', 'events', 'PAYMENT.CAPTURE.COMPLETED.json'));
    expect(body.length).toBe(1895);
    expect(crc32Unsigned(body)).toBe('4105353325');
    expect(crc32Unsigned(readFileSync(reference('paypal', 'events', 'PAYMENT.CAPTURE.REFUNDED.json')))).toBe('3953427356');
  });
});

describe('PayPal sandbox: webhooks', () => {
  let sb: TestSandbox;
  let client: SdkClient;
  let receiver: Awaited<ReturnType<typeof startPayPalWebhookReceiver>>;
  let orderId: string;
  let captureId: string;
  beforeAll(async () => {
    receiver = await startPayPalWebhookReceiver();
    sb = await startPayPalSandbox({ webhookUrl: receiver.url });
    client = sb.client();
    const { result } = await client.execute(new paypal.orders.OrdersCreateRequest().requestBody(orderBody()));
    orderId = result.id;
    await fetch(`${sb.url}/paypal/checkoutnow?token=${orderId}`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ action: 'approve' }) });
    const captured = await client.execute(new paypal.orders.OrdersCaptureRequest(orderId));
    captureId = captured.result.purchase_units[0].payments.captures[0].id;
    await client.execute(new paypal.payments.CapturesRefundRequest(captureId).requestBody({ amount: { value: '2.50', currency_code: 'USD' } }));
    await sb.idle();
  });
  afterAll(async () => { await sb.close(); await receiver.close(); });

  it('sends CHECKOUT.ORDER.APPROVED, PAYMENT.CAPTURE.COMPLETED and PAYMENT.CAPTURE.REFUNDED in PayPal\'s envelope', async () => {
    const [approved] = await receiver.waitFor('CHECKOUT.ORDER.APPROVED');
    expect(approved.event).toMatchObject({ resource_type: 'checkout-order', event_version: '1.0', resource_version: '2.0', resource: { id: orderId, status: 'APPROVED' } });
    expect(approved.event.id).toMatch(/^WH-/);
    const [completed] = await receiver.waitFor('PAYMENT.CAPTURE.COMPLETED');
    expect(completed.event.resource).toMatchObject({ id: captureId, status: 'COMPLETED', custom_id: 'order-123', supplementary_data: { related_ids: { order_id: orderId } } });
    const [refunded] = await receiver.waitFor('PAYMENT.CAPTURE.REFUNDED');
    expect(refunded.event.resource_type).toBe('refund');
    expect(refunded.event.resource).toMatchObject({ amount: { value: '2.50' }, custom_id: 'order-123', supplementary_data: { related_ids: { order_id: orderId } } });
    expect(refunded.event.resource.links).toContainEqual({ href: `${sb.url}/v2/payments/captures/${captureId}`, rel: 'up', method: 'GET' });
    expectSchema('checkout_orders_v2', 'order', approved.event.resource);
    expectSchema('payments_payment_v2', 'capture', completed.event.resource);
    expectSchema('payments_payment_v2', 'refund', refunded.event.resource);
    for (const key of ['id', 'create_time', 'resource_type', 'event_type', 'summary', 'resource', 'links']) expect(completed.event).toHaveProperty(key);
  });

  it('signs every delivery as PayPal does; the served certificate verifies it; a tampered body or wrong webhook id fails', async () => {
    const [hook] = await receiver.waitFor('PAYMENT.CAPTURE.COMPLETED');
    expect(hook.headers['paypal-auth-algo']).toBe('SHA256withRSA');
    expect(hook.headers['paypal-transmission-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook.headers['paypal-transmission-time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(hook.headers['paypal-cert-url']).toMatch(new RegExp(`^${sb.url}/v1/notifications/certs/CERT-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$`));
    expect(await verifyOffline(hook)).toBe(true);
    expect(await verifyOffline(hook, WEBHOOK_ID, Buffer.from(hook.raw.toString().replace('20.00', '2000.00')))).toBe(false);
    expect(await verifyOffline(hook, 'OTHER-WEBHOOK-ID')).toBe(false);
  });

  it('answers verify-webhook-signature SUCCESS for a genuine event and FAILURE for a tampered one', async () => {
    const [hook] = await receiver.waitFor('PAYMENT.CAPTURE.COMPLETED');
    const post = async (body: unknown) => {
      const token = await fetch(`${sb.url}/v1/oauth2/token`, { method: 'POST', body: 'grant_type=client_credentials', headers: { authorization: `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' } });
      const { access_token: at } = await token.json() as { access_token: string };
      const res = await fetch(`${sb.url}/v1/notifications/verify-webhook-signature`, { method: 'POST', body: JSON.stringify(body), headers: { authorization: `Bearer ${at}`, 'content-type': 'application/json' } });
      return { status: res.status, body: await res.json() as Record<string, any> };
    };
    const h = hook.headers;
    const request = {
      auth_algo: h['paypal-auth-algo'], cert_url: h['paypal-cert-url'], transmission_id: h['paypal-transmission-id'],
      transmission_sig: h['paypal-transmission-sig'], transmission_time: h['paypal-transmission-time'], webhook_id: WEBHOOK_ID,
      webhook_event: hook.event,
    };
    expect(await post(request)).toEqual({ status: 200, body: { verification_status: 'SUCCESS' } });
    const tampered = { ...request, webhook_event: { ...hook.event, resource: { ...hook.event.resource, amount: { currency_code: 'USD', value: '9999.00' } } } };
    expect((await post(tampered)).body.verification_status).toBe('FAILURE');
    expect((await post({ ...request, webhook_id: 'ANOTHER' })).body.verification_status).toBe('FAILURE');
    const missing = await post({ ...request, transmission_sig: undefined });
    expect(missing.status).toBe(400);
    expect(missing.body.details[0]).toMatchObject({ field: '/transmission_sig', issue: 'MISSING_REQUIRED_PARAMETER' });
  });

  it('emits PENDING, COMPLETED, DENIED, REVERSED and CUSTOMER.DISPUTE.CREATED from the controls', async () => {
    const { result } = await client.execute(new paypal.orders.OrdersCreateRequest().requestBody(orderBody()));
    await sb.control('POST', `/orders/${result.id}/approve`);
    await sb.control('POST', `/orders/${result.id}/next-capture`, { status: 'PENDING' });
    const captured = await client.execute(new paypal.orders.OrdersCaptureRequest(result.id));
    const pendingId = captured.result.purchase_units[0].payments.captures[0].id;
    await receiver.waitFor('PAYMENT.CAPTURE.PENDING');
    expect((await sb.control('POST', `/captures/${pendingId}/deny`)).body.status).toBe('DECLINED');
    const [denied] = await receiver.waitFor('PAYMENT.CAPTURE.DENIED');
    expect(denied.event.resource).toMatchObject({ id: pendingId, status: 'DECLINED' });

    const reversed = await sb.control('POST', `/captures/${captureId}/reverse`);
    expect(reversed.status).toBe(200);
    const [rev] = await receiver.waitFor('PAYMENT.CAPTURE.REVERSED');
    expect(rev.event.resource.amount.value).toBe('17.50');

    const dispute = await sb.control('POST', '/disputes', { capture_id: captureId });
    expect(dispute.status).toBe(201);
    const [created] = await receiver.waitFor('CUSTOMER.DISPUTE.CREATED');
    expect(created.event.resource_type).toBe('dispute');
    expect(created.event.resource).toMatchObject({ dispute_id: dispute.body.dispute_id, status: 'OPEN', disputed_transactions: [{ seller_transaction_id: captureId }] });
    expect(await verifyOffline(created)).toBe(true);
    expect((await sb.control('POST', '/disputes', { capture_id: 'NOPE' })).status).toBe(404);
  });
});
