import { expectSchema, orderBody, paypal, sdkError, startPayPalSandbox, type SdkClient, type TestSandbox } from './paypal.helpers';

describe('PayPal sandbox: Orders v2', () => {
  let sb: TestSandbox;
  let client: SdkClient;
  beforeAll(async () => { sb = await startPayPalSandbox(); client = sb.client(); });
  afterAll(async () => { await sb.close(); });

  const create = (body: unknown, prefer?: string) => {
    const req = new paypal.orders.OrdersCreateRequest().requestBody(body);
    if (prefer) req.prefer(prefer);
    return client.execute(req);
  };
  const approve = async (id: string) => expect((await sb.control('POST', `/orders/${id}/approve`)).status).toBe(200);

  describe('create', () => {
    it('answers return=minimal by default: id, status CREATED, approve link to the hosted page', async () => {
      const res = await create(orderBody());
      expect(res.statusCode).toBe(201);
      expect(Object.keys(res.result).sort()).toEqual(['id', 'links', 'status']);
      expect(res.result.status).toBe('CREATED');
      const rels = (res.result.links as { rel: string; href: string }[]).map((l) => l.rel);
      expect(rels).toEqual(['self', 'approve', 'update', 'capture']);
      const approveLink = (res.result.links as { rel: string; href: string }[]).find((l) => l.rel === 'approve');
      expect(approveLink?.href).toBe(`${sb.url}/paypal/checkoutnow?token=${res.result.id}`);
    });

    it('answers the full order (official schema) with return=representation', async () => {
      const res = await create(orderBody(), 'return=representation');
      expectSchema('checkout_orders_v2', 'order', res.result);
      expect(res.result.purchase_units[0]).toMatchObject({ reference_id: 'ord_1', custom_id: 'order-123', amount: { currency_code: 'USD', value: '20.00' } });
    });

    it('uses PAYER_ACTION_REQUIRED and a payer-action link with payment_source.paypal.experience_context', async () => {
      const body = orderBody();
      delete body.application_context;
      body.payment_source = { paypal: { experience_context: { return_url: 'https://shop.example.com/r', cancel_url: 'https://shop.example.com/c', user_action: 'PAY_NOW' } } };
      const res = await create(body);
      expect(res.result.status).toBe('PAYER_ACTION_REQUIRED');
      expect((res.result.links as { rel: string }[]).map((l) => l.rel)).toEqual(['self', 'payer-action']);
    });

    it('accepts JPY without decimals and refuses "15.00" JPY with DECIMAL_PRECISION', async () => {
      const ok = await create(orderBody({ currency: 'JPY', unit: '1500', qty: '2', total: '3000' }), 'return=representation');
      expect(ok.result.purchase_units[0].amount.value).toBe('3000');
      const err = await sdkError(create(orderBody({ currency: 'JPY', unit: '15.00', qty: '1', total: '15.00' })));
      expect(err.statusCode).toBe(422);
      expect(err.body.name).toBe('UNPROCESSABLE_ENTITY');
      expect(err.body.details.map((d: { issue: string }) => d.issue)).toContain('DECIMAL_PRECISION');
      expectSchema('checkout_orders_v2', 'error_422', err.body);
    });

    it('refuses three decimals for USD', async () => {
      const err = await sdkError(create(orderBody({ unit: '10.005', total: '20.01' })));
      expect(err.statusCode).toBe(422);
      expect(err.body.details[0]).toMatchObject({ issue: 'DECIMAL_PRECISION', location: 'body' });
    });

    it('refuses a currency PayPal does not support (KWD)', async () => {
      const err = await sdkError(create(orderBody({ currency: 'KWD', unit: '1.000', total: '2.000' })));
      expect(err.statusCode).toBe(422);
      expect(err.body.details.map((d: { issue: string }) => d.issue)).toContain('CURRENCY_NOT_SUPPORTED');
    });

    it('refuses an item_total that is not the sum of the items (ITEM_TOTAL_MISMATCH)', async () => {
      const err = await sdkError(create(orderBody({ unit: '10.00', qty: '3', total: '20.00' })));
      expect(err.statusCode).toBe(422);
      expect(err.body.details[0]).toMatchObject({ issue: 'ITEM_TOTAL_MISMATCH', field: "/purchase_units/@reference_id=='ord_1'/amount/breakdown/item_total/value" });
    });

    it('refuses an amount that is not the breakdown sum (AMOUNT_MISMATCH)', async () => {
      const err = await sdkError(create(orderBody({ value: '25.00' })));
      expect(err.body.details[0].issue).toBe('AMOUNT_MISMATCH');
    });

    it('answers schema problems with 400 INVALID_REQUEST listing every field', async () => {
      const err = await sdkError(create({ purchase_units: [{ amount: { currency_code: 'USD', value: 10 } }] }));
      expect(err.statusCode).toBe(400);
      expectSchema('checkout_orders_v2', 'error_400', err.body);
      expect(err.body.details.map((d: { field: string; issue: string }) => `${d.field} ${d.issue}`)).toEqual([
        '/intent MISSING_REQUIRED_PARAMETER', '/purchase_units/0/amount/value INVALID_PARAMETER_SYNTAX',
      ]);
    });

    it('says plainly what the sandbox does not support', async () => {
      const body = orderBody();
      const units = body.purchase_units as Record<string, unknown>[];
      body.purchase_units = [units[0], { ...units[0], reference_id: 'ord_2' }];
      expect((await sdkError(create(body))).body.message).toMatch(/not supported by the sandbox/);
    });

    it('simulates create-order negative-testing codes from PayPal-Mock-Response', async () => {
      const req = new paypal.orders.OrdersCreateRequest().requestBody(orderBody());
      req.headers['PayPal-Mock-Response'] = JSON.stringify({ mock_application_codes: 'CURRENCY_NOT_SUPPORTED' });
      const err = await sdkError(client.execute(req));
      expect([err.statusCode, err.body.details[0].issue]).toEqual([422, 'CURRENCY_NOT_SUPPORTED']);
      const boom = new paypal.orders.OrdersCreateRequest().requestBody(orderBody());
      boom.headers['PayPal-Mock-Response'] = JSON.stringify({ mock_application_codes: 'INTERNAL_SERVER_ERROR' });
      expect((await sdkError(client.execute(boom))).statusCode).toBe(500);
    });

    it('replays the first response for a repeated PayPal-Request-Id (HTTP 200)', async () => {
      const first = new paypal.orders.OrdersCreateRequest().requestBody(orderBody());
      first.headers['PayPal-Request-Id'] = 'create-once-1';
      const a = await client.execute(first);
      const second = new paypal.orders.OrdersCreateRequest().requestBody(orderBody({ unit: '1.00', total: '2.00' }));
      second.headers['PayPal-Request-Id'] = 'create-once-1';
      const b = await client.execute(second);
      expect(a.statusCode).toBe(201);
      expect(b.statusCode).toBe(200);
      expect(b.result).toEqual(a.result);
    });
  });

  describe('get', () => {
    it('returns the order, or 404 RESOURCE_NOT_FOUND / INVALID_RESOURCE_ID', async () => {
      const { result } = await create(orderBody());
      const got = await client.execute(new paypal.orders.OrdersGetRequest(result.id));
      expectSchema('checkout_orders_v2', 'order', got.result);
      const err = await sdkError(client.execute(new paypal.orders.OrdersGetRequest('0000000000000000X')));
      expect(err.statusCode).toBe(404);
      expect(err.body).toMatchObject({ name: 'RESOURCE_NOT_FOUND', details: [{ issue: 'INVALID_RESOURCE_ID', location: 'path' }] });
      expectSchema('checkout_orders_v2', 'error_404', err.body);
    });

    it('answers unknown /v2 paths with a PayPal-shaped 404', async () => {
      const token = await fetch(`${sb.url}/v1/oauth2/token`, { method: 'POST', body: 'grant_type=client_credentials', headers: { authorization: `Basic ${Buffer.from(`${sb.clientId}:${sb.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' } });
      const { access_token: at } = await token.json() as { access_token: string };
      const res = await fetch(`${sb.url}/v2/invoicing/invoices`, { headers: { authorization: `Bearer ${at}` } });
      expect(res.status).toBe(404);
      expect((await res.json() as { name: string }).name).toBe('RESOURCE_NOT_FOUND');
    });
  });

  it('leaves paths outside PayPal\'s prefixes to the other routers (e.g. Stripe\'s form-encoded /v1)', async () => {
    const res = await fetch(`${sb.url}/v1/customers`, { method: 'POST', body: 'email=a%40b.c', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const text = await res.text();
    // Stripe's emulator answers (its own error shape); PayPal's JSON parser and error handler never see it.
    expect(text).not.toMatch(/INVALID_REQUEST|RESOURCE_NOT_FOUND|MALFORMED_REQUEST_JSON/);
    expect(typeof (JSON.parse(text) as { error: unknown }).error).toBe('object');
  });

  describe('approval page', () => {
    it('shows payee, amount and items, escaped, as a plain form', async () => {
      const { result } = await create(orderBody());
      const res = await fetch(`${sb.url}/paypal/checkoutnow?token=${result.id}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('20.00 USD');
      expect(html).toContain('T-shirt &lt;b&gt;');
      expect(html).not.toContain('<script');
      expect(html).toMatch(/name="action" value="approve"/);
      expect(html).toMatch(/name="action" value="cancel"/);
    });

    it('cancel: 303 to cancel_url?token=, order stays CREATED and approvable', async () => {
      const { result } = await create(orderBody());
      const res = await fetch(`${sb.url}/paypal/checkoutnow?token=${result.id}`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ action: 'cancel' }) });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`https://shop.example.com/cancel?token=${result.id}`);
      expect((await client.execute(new paypal.orders.OrdersGetRequest(result.id))).result.status).toBe('CREATED');
    });

    it('approve: 303 to return_url?token=&PayerID=, order APPROVED with a payer', async () => {
      const { result } = await create(orderBody());
      const res = await fetch(`${sb.url}/paypal/checkoutnow?token=${result.id}`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ action: 'approve' }) });
      expect(res.status).toBe(303);
      const location = new URL(res.headers.get('location') ?? '');
      expect(location.origin + location.pathname).toBe('https://shop.example.com/return');
      expect(location.searchParams.get('x')).toBe('1');
      expect(location.searchParams.get('token')).toBe(result.id);
      const order = (await client.execute(new paypal.orders.OrdersGetRequest(result.id))).result;
      expect(order.status).toBe('APPROVED');
      expect(order.payer.payer_id).toBe(location.searchParams.get('PayerID'));
      expect(order.payer.email_address).toMatch(/@/);
    });

    it('shows an error page for unknown orders', async () => {
      const res = await fetch(`${sb.url}/paypal/checkoutnow?token=%3Cscript%3E`);
      expect(res.status).toBe(404);
      expect(await res.text()).toMatch(/not valid/);
    });
  });

  describe('capture', () => {
    it('refuses before approval with ORDER_NOT_APPROVED', async () => {
      const { result } = await create(orderBody());
      const err = await sdkError(client.execute(new paypal.orders.OrdersCaptureRequest(result.id)));
      expect(err.statusCode).toBe(422);
      expect(err.body.details[0].issue).toBe('ORDER_NOT_APPROVED');
    });

    it('captures an approved order (order + capture schemas), then refuses ORDER_ALREADY_CAPTURED', async () => {
      const { result } = await create(orderBody());
      await approve(result.id);
      const res = await client.execute(new paypal.orders.OrdersCaptureRequest(result.id).requestBody({}).prefer('return=representation'));
      expect(res.statusCode).toBe(201);
      expectSchema('checkout_orders_v2', 'order', res.result);
      expect(res.result.status).toBe('COMPLETED');
      const capture = res.result.purchase_units[0].payments.captures[0];
      expectSchema('checkout_orders_v2', 'capture', capture);
      expect(capture).toMatchObject({
        status: 'COMPLETED', final_capture: true, amount: { currency_code: 'USD', value: '20.00' }, custom_id: 'order-123',
        seller_receivable_breakdown: { gross_amount: { value: '20.00' }, paypal_fee: { value: '1.19' }, net_amount: { value: '18.81' } },
      });
      expect(capture.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'refund', 'up']);
      expect(res.result.payer.payer_id).toBeTruthy();
      const again = await sdkError(client.execute(new paypal.orders.OrdersCaptureRequest(result.id)));
      expect(again.body.details[0].issue).toBe('ORDER_ALREADY_CAPTURED');
      const page = await fetch(`${sb.url}/paypal/checkoutnow?token=${result.id}`);
      expect(page.status).toBe(409);
      expect(await page.text()).toMatch(/already completed/);
    });

    it('returns the captures even with return=minimal', async () => {
      const { result } = await create(orderBody());
      await approve(result.id);
      const res = await client.execute(new paypal.orders.OrdersCaptureRequest(result.id));
      expect(res.result.purchase_units[0].payments.captures).toHaveLength(1);
      expect(res.result.payer).toBeDefined();
    });

    it('replays a capture with the same PayPal-Request-Id: same capture id, HTTP 200, one capture', async () => {
      const { result } = await create(orderBody());
      await approve(result.id);
      const req = () => { const r = new paypal.orders.OrdersCaptureRequest(result.id); r.headers['PayPal-Request-Id'] = `cap-${result.id}`; return r; };
      const a = await client.execute(req());
      const b = await client.execute(req());
      expect([a.statusCode, b.statusCode]).toEqual([201, 200]);
      expect(b.result.purchase_units[0].payments.captures[0].id).toBe(a.result.purchase_units[0].payments.captures[0].id);
      const state = await sb.control('GET', `/orders/${result.id}`);
      expect(state.body.record.captureIds).toHaveLength(1);
    });

    it('replays a stored refusal for a reused PayPal-Request-Id, even after the buyer approved; a new id captures', async () => {
      const { result } = await create(orderBody());
      const req = (id: string) => { const r = new paypal.orders.OrdersCaptureRequest(result.id); r.headers['PayPal-Request-Id'] = id; return r; };
      const refused = await sdkError(client.execute(req(`early-${result.id}`)));
      expect(refused.statusCode).toBe(422);
      expect(refused.body.details[0].issue).toBe('ORDER_NOT_APPROVED');
      await approve(result.id);
      const replayed = await sdkError(client.execute(req(`early-${result.id}`)));
      expect(replayed.statusCode).toBe(422);
      expect(replayed.body).toEqual(refused.body);
      const fresh = await client.execute(req(`later-${result.id}`));
      expect(fresh.statusCode).toBe(201);
      expect((await sb.control('GET', `/orders/${result.id}`)).body.record.captureIds).toHaveLength(1);
    });

    it('simulates INSTRUMENT_DECLINED from PayPal-Mock-Response with a redirect link; re-approval lets capture succeed', async () => {
      const { result } = await create(orderBody());
      await approve(result.id);
      const declined = new paypal.orders.OrdersCaptureRequest(result.id);
      declined.headers['PayPal-Mock-Response'] = JSON.stringify({ mock_application_codes: 'INSTRUMENT_DECLINED' });
      const err = await sdkError(client.execute(declined));
      expect(err.statusCode).toBe(422);
      expect(err.body.details[0].issue).toBe('INSTRUMENT_DECLINED');
      expect(err.body.links).toContainEqual({ href: `${sb.url}/paypal/checkoutnow?token=${result.id}`, rel: 'redirect', method: 'GET' });
      expectSchema('checkout_orders_v2', 'error_422', err.body);
      expect((await sdkError(client.execute(new paypal.orders.OrdersCaptureRequest(result.id)))).body.details[0].issue).toBe('INSTRUMENT_DECLINED');
      await approve(result.id);
      expect((await client.execute(new paypal.orders.OrdersCaptureRequest(result.id))).statusCode).toBe(201);
    });

    it('arms mock codes through the control for clients that cannot set headers', async () => {
      const { result } = await create(orderBody());
      await approve(result.id);
      expect((await sb.control('POST', `/orders/${result.id}/mock`, { mock_application_codes: 'TRANSACTION_REFUSED' })).status).toBe(200);
      expect((await sdkError(client.execute(new paypal.orders.OrdersCaptureRequest(result.id)))).body.details[0].issue).toBe('TRANSACTION_REFUSED');
      expect((await sb.control('POST', `/orders/${result.id}/mock`, { mock_application_codes: 'MADE_UP' })).status).toBe(400);
      const unknown = new paypal.orders.OrdersCaptureRequest(result.id);
      unknown.headers['PayPal-Mock-Response'] = JSON.stringify({ mock_application_codes: 'MADE_UP' });
      expect((await sdkError(client.execute(unknown))).body.message).toMatch(/not supported by the sandbox/);
    });

    it('produces a PENDING capture on request and completes it later', async () => {
      const { result } = await create(orderBody());
      await approve(result.id);
      await sb.control('POST', `/orders/${result.id}/next-capture`, { status: 'PENDING' });
      const res = await client.execute(new paypal.orders.OrdersCaptureRequest(result.id));
      const capture = res.result.purchase_units[0].payments.captures[0];
      expect(capture).toMatchObject({ status: 'PENDING', status_details: { reason: 'PENDING_REVIEW' } });
      expectSchema('checkout_orders_v2', 'capture', capture);
      const done = await sb.control('POST', `/captures/${capture.id}/complete`);
      expect(done.body.status).toBe('COMPLETED');
      expect((await client.execute(new paypal.payments.CapturesGetRequest(capture.id))).result.status).toBe('COMPLETED');
    });
  });
});
