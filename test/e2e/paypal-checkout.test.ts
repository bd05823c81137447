import type { Client } from 'graphql-ws';
import { startTestSandbox } from '../helpers/sandbox.helpers';
import { collect, createOrder, errorCode, eventually, gql, startTestService, wsClient, type TestService } from '../helpers/service.helpers';
import {
  CANCEL_URL, CREATE, RETURN_URL, buyer, capture, coreControl, getOrder, orderWithPayPal, paypalControl, startPayPalService, stats, webhooksSettled,
} from './paypal.kit';

const SUBSCRIPTION = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { orderId status previousStatus source } }`;

describe('PayPal checkout: create, approve on the sandbox page, capture', () => {
  let ts: TestService;
  const clients: Client[] = [];

  beforeAll(async () => {
    ts = await startPayPalService();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await ts.close();
  });

  it('approve → returnUrl?token&PayerID → capture → PAID, seen by a graphql-ws subscriber, capture id kept', async () => {
    const order = await orderWithPayPal(ts);
    expect(order.paypal.order.status).toBe('PENDING');
    expect(order.paypal.approveUrl).toContain(`/paypal/checkoutnow?token=${order.paypal.paypalOrderId}`);
    const client = wsClient(ts.wsUrl, order.token);
    clients.push(client);
    const sub = collect<{ orderStatusChanged: { status: string; source: string } }>(client, SUBSCRIPTION, { id: order.id });
    // graphql-ws has no subscribe acknowledgement: wait until the server really listens.
    await eventually(async () => ts.service.services.pubSub.subscriberCount(order.id) === 1, 'the subscription to listen');

    const back = await buyer(order.paypal.approveUrl, 'approve');
    expect(back.origin + back.pathname).toBe('http://localhost:3000/paypal/return');
    expect(back.searchParams.get('cart')).toBe('1');
    expect(back.searchParams.get('token')).toBe(order.paypal.paypalOrderId);
    expect(back.searchParams.get('PayerID')).toMatch(/^[A-Z0-9]{13}$/);

    const res = await capture(ts, order.id, order.token);
    expect(res.errors).toBeUndefined();
    const paid = res.data!.capturePayPalOrder;
    expect(paid.status).toBe('PAID');
    const [payment] = paid.payments;
    expect(payment).toMatchObject({ provider: 'PAYPAL', method: 'PAYPAL', status: 'SUCCEEDED', amount: 5000, currency: 'USD', providerPaymentId: order.paypal.paypalOrderId });
    expect(payment.providerChargeId).toMatch(/^[A-Z0-9]{17}$/);
    const event = await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'PAID');
    expect(event.data!.orderStatusChanged.source).toMatch(/^(mutation:capturePayPalOrder|paypal:WH-)/);

    // What PayPal was asked for: our order's items and totals, our ids as references.
    const record = await paypalControl(ts, 'GET', `/orders/${order.paypal.paypalOrderId}`);
    const unit = record.order.purchase_units[0];
    expect(record.order.intent).toBe('CAPTURE');
    expect(unit).toMatchObject({ reference_id: order.id, invoice_id: order.id, custom_id: payment.id });
    expect(unit.amount).toEqual({ currency_code: 'USD', value: '50.00', breakdown: { item_total: { currency_code: 'USD', value: '50.00' } } });
    expect(unit.items).toEqual([expect.objectContaining({ sku: 'TSHIRT-BLK', name: 'Black T-shirt', quantity: '2', unit_amount: { currency_code: 'USD', value: '25.00' } })]);
    expect(record.order.purchase_units[0].payments.captures[0].id).toBe(payment.providerChargeId);

    // The webhook for the same capture arrives too and changes nothing: PAID exactly once.
    await webhooksSettled(ts);
    const after = await getOrder(ts, order.id);
    expect(after.events.filter((e: any) => e.toStatus === 'PAID')).toHaveLength(1);
    expect(after.payments).toHaveLength(1);
  });

  it('a second capture returns the same capture, and the sandbox holds exactly one capture', async () => {
    const order = await orderWithPayPal(ts);
    await buyer(order.paypal.approveUrl, 'approve');
    const before = await stats(ts);
    const first = await capture(ts, order.id, order.token);
    const second = await capture(ts, order.id, order.token);
    const third = await capture(ts, order.id, ts.adminKey);
    expect(first.data!.capturePayPalOrder.status).toBe('PAID');
    const chargeIds = [first, second, third].map((r) => r.data!.capturePayPalOrder.payments[0].providerChargeId);
    expect(new Set(chargeIds).size).toBe(1);
    expect((await stats(ts)).captures - before.captures).toBe(1);
  });

  it('concurrent captures of one order still make one capture', async () => {
    const order = await orderWithPayPal(ts);
    await buyer(order.paypal.approveUrl, 'approve');
    const before = await stats(ts);
    const results = await Promise.all(Array.from({ length: 6 }, () => capture(ts, order.id, order.token)));
    for (const r of results) expect(r.data?.capturePayPalOrder.status).toBe('PAID');
    expect((await stats(ts)).captures - before.captures).toBe(1);
    await webhooksSettled(ts);
    const after = await getOrder(ts, order.id);
    expect(after.events.filter((e: any) => e.toStatus === 'PAID')).toHaveLength(1);
  });

  it('capture before approval is a clear PROVIDER_ERROR (ORDER_NOT_APPROVED) and changes nothing; after approval the capture takes, once', async () => {
    const order = await orderWithPayPal(ts);
    const res = await capture(ts, order.id, order.token);
    expect(errorCode(res)).toBe('PROVIDER_ERROR');
    expect(res.errors![0].extensions).toMatchObject({ provider: 'PAYPAL', providerCode: 'ORDER_NOT_APPROVED' });
    expect(res.errors![0].message).toMatch(/buyer has not approved this PayPal order yet/);
    const after = await getOrder(ts, order.id);
    expect(after.status).toBe('PENDING');
    expect(after.payments[0].status).toBe('OPEN');

    // The buyer approves now: the next capture must not reuse the refused request's PayPal-Request-Id
    // (PayPal would replay the stored ORDER_NOT_APPROVED), and it captures exactly once.
    const before = await stats(ts);
    await buyer(order.paypal.approveUrl, 'approve');
    const later = await capture(ts, order.id, order.token);
    expect(later.errors).toBeUndefined();
    expect(later.data!.capturePayPalOrder.status).toBe('PAID');
    expect((await stats(ts)).captures - before.captures).toBe(1);
    expect((await capture(ts, order.id, order.token)).data!.capturePayPalOrder.status).toBe('PAID');
    expect((await stats(ts)).captures - before.captures).toBe(1);
  });

  it('cancel on the approval page → cancelUrl?token, the order stays payable; a new PayPal order supersedes the old one', async () => {
    const order = await orderWithPayPal(ts);
    const back = await buyer(order.paypal.approveUrl, 'cancel');
    expect(back.origin + back.pathname).toBe('http://localhost:3000/paypal/cancel');
    expect(back.searchParams.get('token')).toBe(order.paypal.paypalOrderId);
    expect((await getOrder(ts, order.id)).status).toBe('PENDING');

    const again = await gql(ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: CANCEL_URL } }, order.token);
    const second = again.data!.createPayPalOrder;
    expect(second.paypalOrderId).not.toBe(order.paypal.paypalOrderId);
    expect(second.order.payments.map((p: any) => p.status)).toEqual(['CANCELED', 'OPEN']);

    // The buyer approves the OLD PayPal order in another tab: it is never captured.
    await paypalControl(ts, 'POST', `/orders/${order.paypal.paypalOrderId}/approve`, {});
    await buyer(second.approveUrl, 'approve');
    const res = await capture(ts, order.id, order.token);
    expect(res.data!.capturePayPalOrder.status).toBe('PAID');
    const paid = res.data!.capturePayPalOrder.payments;
    expect(paid.map((p: any) => [p.providerPaymentId, p.status])).toEqual([[order.paypal.paypalOrderId, 'CANCELED'], [second.paypalOrderId, 'SUCCEEDED']]);
    const old = await paypalControl(ts, 'GET', `/orders/${order.paypal.paypalOrderId}`);
    expect(old.order.status).toBe('APPROVED');
  });

  it('PayPal-Mock-Response INSTRUMENT_DECLINED on the GraphQL request → FAILED committed, PROVIDER_ERROR with providerCode', async () => {
    const order = await orderWithPayPal(ts);
    await buyer(order.paypal.approveUrl, 'approve');
    const res = await capture(ts, order.id, order.token, { 'PayPal-Mock-Response': JSON.stringify({ mock_application_codes: 'INSTRUMENT_DECLINED' }) });
    expect(errorCode(res)).toBe('PROVIDER_ERROR');
    expect(res.errors![0].extensions).toMatchObject({ provider: 'PAYPAL', providerCode: 'INSTRUMENT_DECLINED' });
    const after = await getOrder(ts, order.id);
    expect(after.status).toBe('FAILED');
    expect(after.payments[0]).toMatchObject({ status: 'FAILED', failureCode: 'INSTRUMENT_DECLINED' });

    // PayPal's recovery: the buyer goes back to the approval page, picks another instrument, and the capture succeeds.
    await buyer(order.paypal.approveUrl, 'approve');
    const retry = await capture(ts, order.id, order.token);
    expect(retry.data!.capturePayPalOrder.status).toBe('PAID');
  });

  it('a capture PayPal answers DECLINED → FAILED with PROVIDER_ERROR DECLINED', async () => {
    const order = await orderWithPayPal(ts);
    await buyer(order.paypal.approveUrl, 'approve');
    await paypalControl(ts, 'POST', `/orders/${order.paypal.paypalOrderId}/next-capture`, { status: 'DECLINED' });
    const res = await capture(ts, order.id, order.token);
    expect(res.errors![0].extensions).toMatchObject({ code: 'PROVIDER_ERROR', providerCode: 'DECLINED' });
    await webhooksSettled(ts);
    const after = await getOrder(ts, order.id);
    expect(after.status).toBe('FAILED');
    expect(after.payments[0].status).toBe('FAILED');
  });

  it('a PENDING capture keeps the order PENDING until PAYMENT.CAPTURE.COMPLETED arrives', async () => {
    const order = await orderWithPayPal(ts);
    await buyer(order.paypal.approveUrl, 'approve');
    await paypalControl(ts, 'POST', `/orders/${order.paypal.paypalOrderId}/next-capture`, { status: 'PENDING' });
    const res = await capture(ts, order.id, order.token);
    expect(res.errors).toBeUndefined();
    const pending = res.data!.capturePayPalOrder;
    expect(pending.status).toBe('PENDING');
    expect(pending.payments[0].status).toBe('PROCESSING');
    const captureId = pending.payments[0].providerChargeId;
    expect(captureId).toBeTruthy();
    // Asking again changes nothing and does not capture again.
    expect((await capture(ts, order.id, order.token)).data!.capturePayPalOrder.status).toBe('PENDING');

    await paypalControl(ts, 'POST', `/captures/${captureId}/complete`);
    await eventually(async () => (await getOrder(ts, order.id)).status === 'PAID', 'PAID from the webhook');
  });

  it('a timeout on capture: the retry with the same PayPal-Request-Id yields exactly one capture', async () => {
    const order = await orderWithPayPal(ts);
    await buyer(order.paypal.approveUrl, 'approve');
    const before = await stats(ts);
    await coreControl(ts, 'POST', '/faults', { provider: 'paypal', kind: 'timeout', count: 1, ms: 50, match: `POST /v2/checkout/orders/${order.paypal.paypalOrderId}/capture` });
    const res = await capture(ts, order.id, order.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.capturePayPalOrder.status).toBe('PAID');
    expect((await stats(ts)).captures - before.captures).toBe(1);
    expect(await coreControl(ts, 'GET', '/faults')).toEqual([]);
  });

  it('the webhook wins the race against a slow capture answer: one capture, PAID once, from the webhook', async () => {
    const order = await orderWithPayPal(ts);
    await buyer(order.paypal.approveUrl, 'approve');
    // PayPal captures and sends PAYMENT.CAPTURE.COMPLETED, but its answer to us is lost after 1.5 s.
    await coreControl(ts, 'POST', '/faults', { provider: 'paypal', kind: 'timeout', count: 1, ms: 1500, match: `POST /v2/checkout/orders/${order.paypal.paypalOrderId}/capture` });
    const pending = capture(ts, order.id, order.token);
    await eventually(async () => (await getOrder(ts, order.id)).status === 'PAID', 'PAID from the webhook');
    const res = await pending;
    expect(res.data!.capturePayPalOrder.status).toBe('PAID');
    const after = await getOrder(ts, order.id);
    const paidEvents = after.events.filter((e: any) => e.toStatus === 'PAID');
    expect(paidEvents).toHaveLength(1);
    expect(paidEvents[0].source).toMatch(/^paypal:WH-/);
    expect(after.payments[0].providerChargeId).toBe(res.data!.capturePayPalOrder.payments[0].providerChargeId);
  });

  it('PayPal failing to create the order: a 5xx is retried with the same PayPal-Request-Id; if it persists the attempt FAILS and a new one can start', async () => {
    const match = 'POST /v2/checkout/orders';
    const before = await stats(ts);
    await coreControl(ts, 'POST', '/faults', { provider: 'paypal', kind: 'status', status: 503, count: 1, match });
    const retried = await orderWithPayPal(ts);
    expect(retried.paypal.order.status).toBe('PENDING');
    expect((await stats(ts)).orders - before.orders).toBe(1);
    expect(await coreControl(ts, 'GET', '/faults')).toEqual([]);

    await coreControl(ts, 'POST', '/faults', { provider: 'paypal', kind: 'status', status: 500, count: 3, match });
    const order = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const res = await gql(ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: CANCEL_URL } }, order.token);
    expect(res.errors![0].extensions).toMatchObject({ code: 'PROVIDER_ERROR', provider: 'PAYPAL', providerCode: 'INTERNAL_SERVER_ERROR' });
    const failed = await getOrder(ts, order.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.payments).toEqual([expect.objectContaining({ status: 'FAILED', providerPaymentId: null })]);
    const again = await gql(ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: CANCEL_URL } }, order.token);
    expect(again.data!.createPayPalOrder.order.status).toBe('PENDING');
  });

  it('reuses one OAuth token for every call instead of fetching one per call', async () => {
    // One token per PayPal client: the inbox worker's own thread (the default) has its own client, which
    // confirms webhook events with PayPal. Applied inline, every call of this service shares one client.
    const fresh = await startPayPalService({ WEBHOOK_APPLIER: 'inline' });
    try {
      const order = await orderWithPayPal(fresh);
      await buyer(order.paypal.approveUrl, 'approve');
      await capture(fresh, order.id, order.token);
      await capture(fresh, order.id, order.token);
      const second = await orderWithPayPal(fresh);
      expect(second.paypal.paypalOrderId).toBeTruthy();
      expect((await stats(fresh)).tokensIssued).toBe(1);
      // An expired token is replaced once, then reused again.
      await paypalControl(fresh, 'POST', '/tokens/expire');
      await orderWithPayPal(fresh);
      await orderWithPayPal(fresh);
      expect((await stats(fresh)).tokensIssued).toBe(2);
    } finally {
      await fresh.close();
    }
  });

  it('refuses bad redirect URLs and foreign orders before calling PayPal', async () => {
    const order = await orderWithPayPal(ts);
    const before = await stats(ts);
    const bad = await gql(ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: 'ftp://example.com/x', cancelUrl: CANCEL_URL } }, order.token);
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.returnUrl' });
    const other = await orderWithPayPal(ts);
    const forbidden = await gql(ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: CANCEL_URL } }, other.token);
    expect(errorCode(forbidden)).toBe('FORBIDDEN');
    const anonymous = await capture(ts, order.id, '');
    expect(errorCode(anonymous)).toBe('UNAUTHENTICATED');
    expect((await stats(ts)).orders).toBe(before.orders + 1);
  });
});

describe('against live PayPal', () => {
  it('never forwards PayPal-Mock-Response (negative testing exists only in PayPal\'s sandbox)', async () => {
    // "Live" PayPal is played by a separate sandbox reached through PAYPAL_API_BASE: the service runs in real mode, PAYPAL_ENV=live.
    const paypalLive = await startTestSandbox({ paypal: { clientId: 'live-client', clientSecret: 'live-secret', webhookId: 'WH-LIVE-1' } });
    const ts = await startTestService({
      PAYPAL_CLIENT_ID: 'live-client', PAYPAL_CLIENT_SECRET: 'live-secret', PAYPAL_WEBHOOK_ID: 'WH-LIVE-1', PAYPAL_ENV: 'live', PAYPAL_API_BASE: paypalLive.url,
    }).catch(async (error: unknown) => {
      await paypalLive.close();
      throw error;
    });
    try {
      expect(ts.service.services.config.paypal).toMatchObject({ mode: 'real', env: 'live' });
      const order = await orderWithPayPal(ts);
      expect(order.paypal.approveUrl.startsWith(paypalLive.url)).toBe(true);
      await buyer(order.paypal.approveUrl, 'approve');
      const res = await capture(ts, order.id, order.token, { 'PayPal-Mock-Response': JSON.stringify({ mock_application_codes: 'INSTRUMENT_DECLINED' }) });
      expect(res.errors).toBeUndefined();
      expect(res.data!.capturePayPalOrder.status).toBe('PAID');
    } finally {
      await ts.close();
      await paypalLive.close();
    }
  });
});
