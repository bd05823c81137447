import { expectSchema, orderBody, paypal, sdkError, startPayPalSandbox, type SdkClient, type TestSandbox } from './paypal.helpers';

describe('PayPal sandbox: Payments v2 captures and refunds', () => {
  let sb: TestSandbox;
  let client: SdkClient;
  beforeAll(async () => { sb = await startPayPalSandbox(); client = sb.client(); });
  afterAll(async () => { await sb.close(); });

  /** Creates, approves and captures an order; returns the capture id. */
  async function capturedOrder(body = orderBody()): Promise<string> {
    const { result } = await client.execute(new paypal.orders.OrdersCreateRequest().requestBody(body));
    await sb.control('POST', `/orders/${result.id}/approve`);
    const captured = await client.execute(new paypal.orders.OrdersCaptureRequest(result.id));
    return captured.result.purchase_units[0].payments.captures[0].id as string;
  }
  const refund = (captureId: string, body?: unknown, requestId?: string) => {
    const req = new paypal.payments.CapturesRefundRequest(captureId).prefer('return=representation');
    if (body !== undefined) req.requestBody(body);
    if (requestId) req.headers['PayPal-Request-Id'] = requestId;
    return client.execute(req);
  };

  it('shows a capture (official capture schema) with its order id', async () => {
    const id = await capturedOrder();
    const res = await client.execute(new paypal.payments.CapturesGetRequest(id));
    expectSchema('payments_payment_v2', 'capture', res.result);
    expect(res.result).toMatchObject({ id, status: 'COMPLETED', custom_id: 'order-123' });
    expect(res.result.supplementary_data.related_ids.order_id).toMatch(/^[0-9A-Z]{17}$/);
    const missing = await sdkError(client.execute(new paypal.payments.CapturesGetRequest('NOPE')));
    expect(missing.statusCode).toBe(404);
    expectSchema('payments_payment_v2', 'error_404', missing.body);
  });

  it('refunds partially then fully; the capture moves PARTIALLY_REFUNDED → REFUNDED', async () => {
    const id = await capturedOrder();
    const first = await refund(id, { amount: { value: '5.00', currency_code: 'USD' }, invoice_id: 'RF-1', note_to_payer: 'Sorry' });
    expect(first.statusCode).toBe(201);
    expectSchema('payments_payment_v2', 'refund', first.result);
    expect(first.result).toMatchObject({
      status: 'COMPLETED', amount: { value: '5.00', currency_code: 'USD' }, invoice_id: 'RF-1', note_to_payer: 'Sorry',
      seller_payable_breakdown: { gross_amount: { value: '5.00' }, total_refunded_amount: { value: '5.00' } },
    });
    expect(first.result.links.map((l: { rel: string; href: string }) => `${l.rel} ${l.href}`)).toEqual([
      `self ${sb.url}/v2/payments/refunds/${first.result.id}`, `up ${sb.url}/v2/payments/captures/${id}`,
    ]);
    expect((await client.execute(new paypal.payments.CapturesGetRequest(id))).result.status).toBe('PARTIALLY_REFUNDED');

    const over = await sdkError(refund(id, { amount: { value: '15.01', currency_code: 'USD' } }));
    expect(over.statusCode).toBe(422);
    expect(over.body.details[0].issue).toBe('REFUND_AMOUNT_EXCEEDED');
    expectSchema('payments_payment_v2', 'error_422', over.body);

    const rest = await refund(id);
    expect(rest.result.amount.value).toBe('15.00');
    expect(rest.result.seller_payable_breakdown.total_refunded_amount.value).toBe('20.00');
    expect((await client.execute(new paypal.payments.CapturesGetRequest(id))).result.status).toBe('REFUNDED');

    const again = await sdkError(refund(id, {}));
    expect(again.body.details[0].issue).toBe('CAPTURE_FULLY_REFUNDED');

    const got = await client.execute(new paypal.payments.RefundsGetRequest(first.result.id));
    expectSchema('payments_payment_v2', 'refund', got.result);
    expect(got.result.id).toBe(first.result.id);
  });

  it('answers a refund with id, status and links only under the default Prefer: return=minimal', async () => {
    const id = await capturedOrder();
    const res = await client.execute(new paypal.payments.CapturesRefundRequest(id).requestBody({ amount: { value: '1.00', currency_code: 'USD' } }));
    expect(res.statusCode).toBe(201);
    expect(Object.keys(res.result).sort()).toEqual(['id', 'links', 'status']);
    expect(res.result.status).toBe('COMPLETED');
  });

  it('keeps JPY refunds in whole yen and refuses decimals', async () => {
    const id = await capturedOrder(orderBody({ currency: 'JPY', unit: '1500', qty: '1', total: '1500' }));
    const ok = await refund(id, { amount: { value: '500', currency_code: 'JPY' } });
    expect(ok.result.amount).toEqual({ value: '500', currency_code: 'JPY' });
    const bad = await sdkError(refund(id, { amount: { value: '5.00', currency_code: 'JPY' } }));
    expect(bad.body.details[0].issue).toBe('DECIMAL_PRECISION');
    const currency = await sdkError(refund(id, { amount: { value: '5.00', currency_code: 'USD' } }));
    expect(currency.body.details[0].issue).toBe('REFUND_CAPTURE_CURRENCY_MISMATCH');
  });

  it('replays a refund with the same PayPal-Request-Id instead of refunding twice', async () => {
    const id = await capturedOrder();
    const a = await refund(id, { amount: { value: '1.00', currency_code: 'USD' } }, `rf-${id}`);
    const b = await refund(id, { amount: { value: '1.00', currency_code: 'USD' } }, `rf-${id}`);
    expect(b.result.id).toBe(a.result.id);
    const capture = (await client.execute(new paypal.payments.CapturesGetRequest(id))).result;
    expect(capture.status).toBe('PARTIALLY_REFUNDED');
    expect((await sb.control('GET', '/stats')).body.refunds).toBeGreaterThan(0);
  });

  it('refuses to refund a pending capture (PENDING_CAPTURE) and honours refund mock codes', async () => {
    const { result } = await client.execute(new paypal.orders.OrdersCreateRequest().requestBody(orderBody()));
    await sb.control('POST', `/orders/${result.id}/approve`);
    await sb.control('POST', `/orders/${result.id}/next-capture`, { status: 'PENDING' });
    const captured = await client.execute(new paypal.orders.OrdersCaptureRequest(result.id));
    const pendingId = captured.result.purchase_units[0].payments.captures[0].id;
    expect((await sdkError(refund(pendingId))).body.details[0].issue).toBe('PENDING_CAPTURE');

    const id = await capturedOrder();
    const req = new paypal.payments.CapturesRefundRequest(id);
    req.headers['PayPal-Mock-Response'] = JSON.stringify({ mock_application_codes: 'REFUND_FAILED_INSUFFICIENT_FUNDS' });
    expect((await sdkError(client.execute(req))).body.details[0].issue).toBe('REFUND_FAILED_INSUFFICIENT_FUNDS');
  });

  it('declines a capture on request (status DECLINED, not refundable)', async () => {
    const { result } = await client.execute(new paypal.orders.OrdersCreateRequest().requestBody(orderBody()));
    await sb.control('POST', `/orders/${result.id}/approve`);
    await sb.control('POST', `/orders/${result.id}/next-capture`, { status: 'DECLINED' });
    const captured = await client.execute(new paypal.orders.OrdersCaptureRequest(result.id));
    const capture = captured.result.purchase_units[0].payments.captures[0];
    expect(capture.status).toBe('DECLINED');
    expectSchema('checkout_orders_v2', 'capture', capture);
    expect((await sdkError(refund(capture.id))).body.details[0].issue).toBe('REFUND_NOT_ALLOWED');
  });
});
