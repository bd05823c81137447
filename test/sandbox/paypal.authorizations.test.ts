import { expectSchema, orderBody, paypal, sandboxAuthorization, sdkError, startPayPalSandboxWithReceiver, type PayPalSandboxWithReceiver } from './paypal.helpers';

/** intent=AUTHORIZE through the official SDK over HTTP, every answer checked against PayPal's OpenAPI specs. */
describe('PayPal sandbox: intent AUTHORIZE, authorizations (capture, void, expiry)', () => {
  let env: PayPalSandboxWithReceiver;
  beforeAll(async () => (env = await startPayPalSandboxWithReceiver()));
  afterAll(() => env.close());

  const authorizeBody = () => ({ ...orderBody(), intent: 'AUTHORIZE' });
  async function approvedOrder(body: Record<string, unknown> = authorizeBody()): Promise<string> {
    const { result } = await env.client.execute(new paypal.orders.OrdersCreateRequest().requestBody(body));
    await env.sb.control('POST', `/orders/${result.id}/approve`);
    return result.id as string;
  }
  const authorization = () => sandboxAuthorization(env.sb, env.client);
  const capture = (authId: string, body: unknown, requestId?: string) => {
    const req = new paypal.payments.AuthorizationsCaptureRequest(authId).prefer('return=representation').requestBody(body);
    if (requestId) req.headers['PayPal-Request-Id'] = requestId;
    return env.client.execute(req);
  };
  const getAuth = async (authId: string) => (await env.client.execute(new paypal.payments.AuthorizationsGetRequest(authId))).result;

  it('authorizes an approved order once (order_authorize_response, authorization-2) and says PAYMENT.AUTHORIZATION.CREATED', async () => {
    const { result: created } = await env.client.execute(new paypal.orders.OrdersCreateRequest().prefer('return=representation').requestBody(authorizeBody()));
    expect(created.intent).toBe('AUTHORIZE');
    expect(created.links.map((l: { rel: string }) => l.rel)).toContain('approve');
    const early = await sdkError(env.client.execute(new paypal.orders.OrdersAuthorizeRequest(created.id).requestBody({})));
    expect([early.statusCode, early.body.details[0].issue]).toEqual([422, 'ORDER_NOT_APPROVED']);
    expectSchema('checkout_orders_v2', 'error_422', early.body);
    await env.sb.control('POST', `/orders/${created.id}/approve`);

    const res = await env.client.execute(new paypal.orders.OrdersAuthorizeRequest(created.id).prefer('return=representation').requestBody({}));
    expect(res.statusCode).toBe(201);
    expectSchema('checkout_orders_v2', 'order_authorize_response', res.result);
    expect(res.result.status).toBe('COMPLETED');
    const auth = res.result.purchase_units[0].payments.authorizations[0];
    expect(auth).toMatchObject({ status: 'CREATED', amount: { value: '20.00', currency_code: 'USD' }, custom_id: 'order-123' });
    expect(Date.parse(auth.expiration_time) - Date.now()).toBeGreaterThan(28 * 24 * 3600 * 1000);

    const shown = await getAuth(auth.id);
    expectSchema('payments_payment_v2', 'authorization-2', shown);
    expect(shown.supplementary_data.related_ids.order_id).toBe(created.id);
    expect(shown.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'capture', 'void', 'reauthorize', 'up']);
    const order = await env.client.execute(new paypal.orders.OrdersGetRequest(created.id));
    expectSchema('checkout_orders_v2', 'order', order.result);
    expect(order.result.purchase_units[0].payments.authorizations[0].id).toBe(auth.id);

    const again = await sdkError(env.client.execute(new paypal.orders.OrdersAuthorizeRequest(created.id).requestBody({})));
    expect(again.body.details[0].issue).toBe('ORDER_ALREADY_AUTHORIZED');
    const [hook] = (await env.receiver.waitFor('PAYMENT.AUTHORIZATION.CREATED')).filter((h) => h.event.resource.id === auth.id);
    expect(hook.event.resource_type).toBe('authorization');
    expectSchema('payments_payment_v2', 'authorization-2', hook.event.resource);
  });

  it('refuses the wrong action for the intent (ACTION_DOES_NOT_MATCH_INTENT both ways)', async () => {
    const authorizeOrder = await approvedOrder();
    const viaCapture = await sdkError(env.client.execute(new paypal.orders.OrdersCaptureRequest(authorizeOrder).requestBody({})));
    expect([viaCapture.statusCode, viaCapture.body.details[0].issue]).toEqual([422, 'ACTION_DOES_NOT_MATCH_INTENT']);
    const captureOrder = await approvedOrder(orderBody());
    const viaAuthorize = await sdkError(env.client.execute(new paypal.orders.OrdersAuthorizeRequest(captureOrder).requestBody({})));
    expect(viaAuthorize.body.details[0]).toMatchObject({ issue: 'ACTION_DOES_NOT_MATCH_INTENT', description: expect.stringContaining("intent to 'CAPTURE'") });
  });

  it('captures in parts until the final capture (capture-2), then refuses another; refunds stay within a capture', async () => {
    const authId = await authorization();
    const first = await capture(authId, { amount: { value: '5.00', currency_code: 'USD' }, final_capture: false });
    expect(first.statusCode).toBe(201);
    expectSchema('payments_payment_v2', 'capture-2', first.result);
    expect(first.result).toMatchObject({ status: 'COMPLETED', final_capture: false, amount: { value: '5.00' }, custom_id: 'order-123' });
    expect(first.result.supplementary_data.related_ids.authorization_id).toBe(authId);
    expect(first.result.links.find((l: { rel: string }) => l.rel === 'up').href).toMatch(new RegExp(`/v2/payments/authorizations/${authId}$`));
    expect((await getAuth(authId)).status).toBe('PARTIALLY_CAPTURED');

    const last = await capture(authId, { amount: { value: '10.00', currency_code: 'USD' }, final_capture: true });
    expect(last.result.final_capture).toBe(true);
    expect((await getAuth(authId)).status).toBe('CAPTURED');
    const more = await sdkError(capture(authId, { amount: { value: '1.00', currency_code: 'USD' } }));
    expect([more.statusCode, more.body.details[0].issue]).toEqual([422, 'AUTHORIZATION_ALREADY_CAPTURED']);
    expectSchema('payments_payment_v2', 'error_422', more.body);
    const voided = await sdkError(env.client.execute(new paypal.payments.AuthorizationsVoidRequest(authId)));
    expect(voided.body.details[0].issue).toBe('PREVIOUSLY_CAPTURED');

    const over = await sdkError(env.client.execute(new paypal.payments.CapturesRefundRequest(first.result.id).requestBody({ amount: { value: '5.01', currency_code: 'USD' } })));
    expect(over.body.details[0].issue).toBe('REFUND_AMOUNT_EXCEEDED');
    const refund = await env.client.execute(new paypal.payments.CapturesRefundRequest(first.result.id).prefer('return=representation').requestBody({}));
    expect(refund.result.amount.value).toBe('5.00');
  });

  it('captures everything left without a body; over the 115% overage limit is MAX_CAPTURE_AMOUNT_EXCEEDED and captures nothing', async () => {
    const authId = await authorization();
    const over = await sdkError(capture(authId, { amount: { value: '23.01', currency_code: 'USD' } }));
    expect([over.statusCode, over.body.details[0].issue]).toEqual([422, 'MAX_CAPTURE_AMOUNT_EXCEEDED']);
    const currency = await sdkError(capture(authId, { amount: { value: '1.00', currency_code: 'EUR' } }));
    expect(currency.body.details[0].issue).toBe('AUTH_CAPTURE_CURRENCY_MISMATCH');
    const zero = await sdkError(capture(authId, { amount: { value: '0.00', currency_code: 'USD' } }));
    expect(zero.body.details[0].issue).toBe('CANNOT_BE_ZERO_OR_NEGATIVE');
    expect((await getAuth(authId)).status).toBe('CREATED');
    const all = await capture(authId, {});
    expect(all.result.amount.value).toBe('20.00');
    expect((await getAuth(authId)).status).toBe('CAPTURED');
  });

  it('replays a capture for a reused PayPal-Request-Id: two requests, one capture', async () => {
    const authId = await authorization();
    const body = { amount: { value: '7.00', currency_code: 'USD' }, final_capture: true };
    const [a, b] = await Promise.all([capture(authId, body, 'cap-1'), capture(authId, body, 'cap-1')]);
    expect(a.result.id).toBe(b.result.id);
    const order = await env.client.execute(new paypal.orders.OrdersGetRequest((await getAuth(authId)).supplementary_data.related_ids.order_id));
    expect(order.result.purchase_units[0].payments.captures).toHaveLength(1);
  });

  it('voids (204, or 200 with representation; PAYMENT.AUTHORIZATION.VOIDED); a voided one is neither captured nor voided again', async () => {
    const authId = await authorization();
    const res = await env.client.execute(new paypal.payments.AuthorizationsVoidRequest(authId));
    expect(res.statusCode).toBe(204);
    const shown = await getAuth(authId);
    expectSchema('payments_payment_v2', 'authorization-2', shown);
    expect(shown.status).toBe('VOIDED');
    expect(shown.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'up']);
    expect((await sdkError(capture(authId, {}))).body.details[0].issue).toBe('AUTHORIZATION_VOIDED');
    const again = await sdkError(env.client.execute(new paypal.payments.AuthorizationsVoidRequest(authId)));
    expect([again.statusCode, again.body.details[0].issue]).toEqual([422, 'PREVIOUSLY_VOIDED']);
    const [hook] = (await env.receiver.waitFor('PAYMENT.AUTHORIZATION.VOIDED')).filter((h) => h.event.resource.id === authId);
    expectSchema('payments_payment_v2', 'authorization-2', hook.event.resource);

    const other = await authorization();
    const req = new paypal.payments.AuthorizationsVoidRequest(other);
    req.headers.Prefer = 'return=representation';
    const represented = await env.client.execute(req);
    expect([represented.statusCode, represented.result.status]).toEqual([200, 'VOIDED']);
  });

  it('lets an authorization lapse by control: VOIDED with its expiration passed, captures answer AUTHORIZATION_EXPIRED', async () => {
    const authId = await authorization();
    const lapsed = await env.sb.control('POST', `/authorizations/${authId}/expire`, {});
    expect(lapsed.status).toBe(200);
    expect(lapsed.body.status).toBe('VOIDED');
    expect(Date.parse(lapsed.body.expiration_time)).toBeLessThanOrEqual(Date.now());
    expect((await sdkError(capture(authId, {}))).body.details[0].issue).toBe('AUTHORIZATION_EXPIRED');
    const hooks = (await env.receiver.waitFor('PAYMENT.AUTHORIZATION.VOIDED')).filter((h) => h.event.resource.id === authId);
    expect(hooks).toHaveLength(1);
    expect((await env.sb.control('POST', `/authorizations/${authId}/expire`, {})).status).toBe(422);
    expect((await env.sb.control('POST', '/authorizations/NOPE/expire', {})).status).toBe(404);
  });
});
