import { expectSchema, paypal, sandboxAuthorization, sdkError, startPayPalSandboxWithReceiver, type PayPalSandboxWithReceiver } from './paypal.helpers';

/** Payments v2 reauthorize and the 3-day honor period (a sandbox control ends it), through the official SDK, answers checked against the spec. */
describe('PayPal sandbox: reauthorize after the honor period', () => {
  let env: PayPalSandboxWithReceiver;
  beforeAll(async () => (env = await startPayPalSandboxWithReceiver()));
  afterAll(() => env.close());

  const reauthorize = (authId: string, body: unknown = {}, prefer = 'return=representation', requestId?: string) => {
    const req = new paypal.payments.AuthorizationsReauthorizeRequest(authId).prefer(prefer).requestBody(body);
    if (requestId) req.headers['PayPal-Request-Id'] = requestId;
    return env.client.execute(req);
  };
  const capture = (authId: string, body: unknown) => env.client.execute(new paypal.payments.AuthorizationsCaptureRequest(authId).prefer('return=representation').requestBody(body));
  const getAuth = async (authId: string) => (await env.client.execute(new paypal.payments.AuthorizationsGetRequest(authId))).result;
  const endHonorPeriod = (authId: string) => env.sb.control('POST', `/authorizations/${authId}/end-honor-period`, {});

  it('refuses a reauthorize inside the 3-day honor period (422 CANNOT_REAUTH_INSIDE_HONOR_PERIOD)', async () => {
    const authId = await sandboxAuthorization(env.sb, env.client);
    const early = await sdkError(reauthorize(authId));
    expect([early.statusCode, early.body.details[0].issue]).toEqual([422, 'CANNOT_REAUTH_INSIDE_HONOR_PERIOD']);
    expectSchema('payments_payment_v2', 'error_422', early.body);
    expect((await getAuth(authId)).status).toBe('CREATED');
  });

  it('after the honor period (control): a new authorization (authorization-2, 201) with a new id, the same 29-day expiry, PAYMENT.AUTHORIZATION.CREATED; captures go on it', async () => {
    const authId = await sandboxAuthorization(env.sb, env.client);
    const ended = await endHonorPeriod(authId);
    expect(ended.status).toBe(200);
    expect(Date.parse(ended.body.honor_period_end)).toBeLessThanOrEqual(Date.now());
    expect(ended.body.authorization).toMatchObject({ id: authId, status: 'CREATED' });
    const original = await getAuth(authId);

    const res = await reauthorize(authId, { amount: { value: '22.00', currency_code: 'USD' } });
    expect(res.statusCode).toBe(201);
    expectSchema('payments_payment_v2', 'authorization-2', res.result);
    expect(res.result.id).not.toBe(authId);
    expect(res.result).toMatchObject({ status: 'CREATED', amount: { value: '22.00', currency_code: 'USD' }, custom_id: 'order-123', expiration_time: original.expiration_time });
    expect(res.result.supplementary_data.related_ids.order_id).toBe(original.supplementary_data.related_ids.order_id);
    // A reauthorization cannot itself be reauthorized: no link for it, and a 422 if tried.
    expect(res.result.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'capture', 'void', 'up']);
    await endHonorPeriod(res.result.id);
    const chained = await sdkError(reauthorize(res.result.id));
    expect(chained.body.details[0].issue).toBe('REAUTHORIZATION_NOT_SUPPORTED');
    const [hook] = (await env.receiver.waitFor('PAYMENT.AUTHORIZATION.CREATED')).filter((h) => h.event.resource.id === res.result.id);
    expectSchema('payments_payment_v2', 'authorization-2', hook.event.resource);

    const order = await env.client.execute(new paypal.orders.OrdersGetRequest(original.supplementary_data.related_ids.order_id));
    expect(order.result.purchase_units[0].payments.authorizations.map((a: { id: string }) => a.id)).toEqual([authId, res.result.id]);
    const captured = await capture(res.result.id, { amount: { value: '22.00', currency_code: 'USD' }, final_capture: true });
    expect(captured.result).toMatchObject({ status: 'COMPLETED', amount: { value: '22.00' } });

    // Without a body it reauthorizes the authorized amount again; return=minimal is id, status and links.
    const other = await sandboxAuthorization(env.sb, env.client);
    await endHonorPeriod(other);
    const minimal = await reauthorize(other, {}, 'return=minimal');
    expect(Object.keys(minimal.result).sort()).toEqual(['id', 'links', 'status']);
    expect((await getAuth(minimal.result.id)).amount.value).toBe('20.00');
  });

  it('after the honor period a capture still works until expiry; a captured, voided or expired authorization is not reauthorized (the documented 422s)', async () => {
    const partly = await sandboxAuthorization(env.sb, env.client);
    await endHonorPeriod(partly);
    expect((await capture(partly, { amount: { value: '5.00', currency_code: 'USD' }, final_capture: false })).statusCode).toBe(201);
    expect((await sdkError(reauthorize(partly))).body.details[0].issue).toBe('AUTHORIZATION_ALREADY_CAPTURED');
    expect((await capture(partly, { amount: { value: '15.00', currency_code: 'USD' }, final_capture: true })).statusCode).toBe(201);
    expect((await sdkError(reauthorize(partly))).body.details[0].issue).toBe('AUTHORIZATION_ALREADY_CAPTURED');

    const voided = await sandboxAuthorization(env.sb, env.client);
    await endHonorPeriod(voided);
    await env.client.execute(new paypal.payments.AuthorizationsVoidRequest(voided));
    const refusedVoid = await sdkError(reauthorize(voided));
    expect([refusedVoid.statusCode, refusedVoid.body.details[0].issue]).toEqual([422, 'AUTHORIZATION_VOIDED']);
    expectSchema('payments_payment_v2', 'error_422', refusedVoid.body);
    expect((await endHonorPeriod(voided)).status).toBe(422);

    const lapsed = await sandboxAuthorization(env.sb, env.client);
    await env.sb.control('POST', `/authorizations/${lapsed}/expire`, {});
    expect((await sdkError(reauthorize(lapsed))).body.details[0].issue).toBe('AUTHORIZATION_EXPIRED');
    expect((await endHonorPeriod('NOPE')).status).toBe(404);
  });

  it('validates the body: another currency (AUTH_CURRENCY_MISMATCH), zero (CANNOT_BE_ZERO_OR_NEGATIVE), malformed money (400), over the 115% limit', async () => {
    const authId = await sandboxAuthorization(env.sb, env.client);
    await endHonorPeriod(authId);
    const currency = await sdkError(reauthorize(authId, { amount: { value: '20.00', currency_code: 'EUR' } }));
    expect([currency.statusCode, currency.body.details[0].issue]).toEqual([422, 'AUTH_CURRENCY_MISMATCH']);
    expect((await sdkError(reauthorize(authId, { amount: { value: '0.00', currency_code: 'USD' } }))).body.details[0].issue).toBe('CANNOT_BE_ZERO_OR_NEGATIVE');
    const malformed = await sdkError(reauthorize(authId, { amount: { currency_code: 'USD' } }));
    expect([malformed.statusCode, malformed.body.details[0].issue]).toEqual([400, 'MISSING_REQUIRED_PARAMETER']);
    expectSchema('payments_payment_v2', 'error_400', malformed.body);
    const over = await sdkError(reauthorize(authId, { amount: { value: '23.01', currency_code: 'USD' } }));
    expect([over.statusCode, over.body.details[0].issue]).toEqual([422, 'TRANSACTION_REFUSED']);
    // Nothing was created by the refusals; a replayed PayPal-Request-Id answers the same new authorization.
    const body = { amount: { value: '23.00', currency_code: 'USD' } };
    const first = await reauthorize(authId, body, 'return=representation', 'reauth-1');
    const again = await reauthorize(authId, body, 'return=representation', 'reauth-1');
    expect(again.result.id).toBe(first.result.id);
    const order = await env.client.execute(new paypal.orders.OrdersGetRequest((await getAuth(authId)).supplementary_data.related_ids.order_id));
    expect(order.result.purchase_units[0].payments.authorizations).toHaveLength(2);
  });
});
