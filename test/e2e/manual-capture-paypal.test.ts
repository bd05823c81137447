import { collect, createOrder, errorCode, eventually, gql, webhooksSettled, wsClient, type TestService } from '../helpers/service.helpers';
import { buyer, capture, coreControl, paypalControl, REFUND, startPayPalService } from './paypal.kit';
import { amountsOf, authorizationsOf, authorizedPayPalOrder, capturePayment, capturesOf, ITEMS, manualPayPalOrder, voidPayment, whileLapseUnannounced } from './paypal-manual-capture.kit';

const STATUSES = `subscription($orderId: ID!) { orderStatusChanged(orderId: $orderId) { status previousStatus } }`;
const RECONCILE = `mutation($id: ID!) { reconcileOrder(orderId: $id) { id status } }`;

/** PayPal intent AUTHORIZE through the service: createPayPalOrder MANUAL → approve → capturePayPalOrder (authorize) → capturePayment / voidPayment. */
describe('manual capture with PayPal (intent AUTHORIZE)', () => {
  let ts: TestService;
  beforeAll(async () => { ts = await startPayPalService(); });
  afterAll(async () => { await ts.close(); });

  const waitForStatus = (id: string, status: string) => eventually(async () => {
    const order = await amountsOf(ts, id);
    return order.status === status ? order : undefined;
  }, `order ${id} to become ${status}`);

  it('authorize → full capture → PAID; PayPal holds one final capture of everything; subscribers see CREATED → PENDING → AUTHORIZED → PAID', async () => {
    const created = await createOrder(ts.graphqlUrl, ITEMS);
    const client = wsClient(ts.wsUrl, created.token);
    const sub = collect<{ orderStatusChanged: { status: string; previousStatus: string } }>(client, STATUSES, { orderId: created.id });
    let order: Awaited<ReturnType<typeof manualPayPalOrder>>;
    try {
      await eventually(async () => ts.service.services.pubSub.subscriberCount(created.id) === 1, 'the subscription to listen');
      order = await manualPayPalOrder(ts, created);
      await buyer(order.paypal.approveUrl, 'approve');
      const authorized = await capture(ts, order.id, order.token);
      expect(authorized.errors).toBeUndefined();
      expect(authorized.data!.capturePayPalOrder).toMatchObject({ status: 'AUTHORIZED', payments: [{ status: 'AUTHORIZED' }] });
      const [auth] = await authorizationsOf(ts, order.paypal.paypalOrderId);
      expect(auth).toMatchObject({ status: 'CREATED', amount: { value: '50.00', currency_code: 'USD' }, custom_id: expect.any(String) });
      expect(await capturesOf(ts, order.paypal.paypalOrderId)).toHaveLength(0);
      // Asking again changes nothing: no second authorization.
      expect((await capture(ts, order.id, order.token)).data!.capturePayPalOrder.status).toBe('AUTHORIZED');

      const res = await capturePayment(ts, order.id);
      expect(res.errors).toBeUndefined();
      expect(res.data!.capturePayment).toMatchObject({ status: 'PAID', amount: 5000, amountCaptured: 5000, payments: [{ status: 'SUCCEEDED' }] });
      await sub.waitFor((r) => r.data?.orderStatusChanged.status === 'PAID');
      expect(sub.results.map((r) => r.data!.orderStatusChanged.status)).toEqual(['PENDING', 'AUTHORIZED', 'PAID']);
      expect(sub.results[0].data!.orderStatusChanged.previousStatus).toBe('CREATED');
    } finally {
      sub.stop();
      await client.dispose();
    }
    const captures = await capturesOf(ts, order.paypal.paypalOrderId);
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ status: 'COMPLETED', final_capture: true, amount: { value: '50.00' } });
    expect((await authorizationsOf(ts, order.paypal.paypalOrderId))[0].status).toBe('CAPTURED');
    await webhooksSettled(ts);
    const settled = await amountsOf(ts, order.id);
    expect(settled).toMatchObject({ status: 'PAID', amountCaptured: 5000, payments: [{ status: 'SUCCEEDED', providerChargeId: captures[0].id }] });
    expect(settled.events.filter((e: { type: string }) => e.type === 'NEEDS_ATTENTION')).toEqual([]);
  });

  it('authorize → partial capture → PAID with amountCaptured < amount; PayPal releases the rest; refunds stop at what was captured', async () => {
    const order = await authorizedPayPalOrder(ts);
    const res = await capturePayment(ts, order.id, 1800);
    expect(res.errors).toBeUndefined();
    expect(res.data!.capturePayment).toMatchObject({ status: 'PAID', amount: 5000, amountCaptured: 1800 });
    const [auth] = await authorizationsOf(ts, order.paypal.paypalOrderId);
    expect(auth.status).toBe('CAPTURED');
    const captures = await capturesOf(ts, order.paypal.paypalOrderId);
    expect(captures.map((c) => [c.amount.value, c.final_capture])).toEqual([['18.00', true]]);
    await webhooksSettled(ts);
    const tooMuch = await gql(ts.graphqlUrl, REFUND, { input: { orderId: order.id, amount: 1801 } }, ts.adminKey);
    expect(errorCode(tooMuch)).toBe('CONFLICT');
    const all = await gql<{ refundOrder: Record<string, any> }>(ts.graphqlUrl, REFUND, { input: { orderId: order.id } }, ts.adminKey);
    expect(all.errors).toBeUndefined();
    expect(all.data!.refundOrder).toMatchObject({ amount: 1800, status: 'SUCCEEDED' });
    expect(await waitForStatus(order.id, 'REFUNDED')).toMatchObject({ amountRefunded: 1800, amountCaptured: 1800 });
  });

  it('authorize → void → CANCELED, the authorization VOIDED at PayPal with nothing captured; a capture afterwards is CONFLICT', async () => {
    const order = await authorizedPayPalOrder(ts);
    const res = await voidPayment(ts, order.id);
    expect(res.errors).toBeUndefined();
    expect(res.data!.voidPayment).toMatchObject({ status: 'CANCELED', amountCaptured: 0, payments: [{ status: 'CANCELED' }] });
    expect((await authorizationsOf(ts, order.paypal.paypalOrderId))[0].status).toBe('VOIDED');
    expect(await capturesOf(ts, order.paypal.paypalOrderId)).toHaveLength(0);
    await webhooksSettled(ts);
    expect((await waitForStatus(order.id, 'CANCELED')).payments).toEqual([{ status: 'CANCELED', providerChargeId: null }]);
    const late = await capturePayment(ts, order.id);
    expect(errorCode(late)).toBe('CONFLICT');
    expect(late.errors![0].message).toContain('is CANCELED');
  });

  it('authorize → the authorization lapses → EXPIRED (from PayPal’s signed PAYMENT.AUTHORIZATION.VOIDED)', async () => {
    const order = await authorizedPayPalOrder(ts);
    const [auth] = await authorizationsOf(ts, order.paypal.paypalOrderId);
    await paypalControl(ts, 'POST', `/authorizations/${auth.id}/expire`, {});
    const expired = await waitForStatus(order.id, 'EXPIRED');
    expect(expired.payments[0].status).toBe('EXPIRED');
    expect(errorCode(await capturePayment(ts, order.id))).toBe('CONFLICT');
  });

  it('a lapse whose webhook never came: capturePayment is refused by PayPal (AUTHORIZATION_EXPIRED), nothing captured, and the order turns EXPIRED', async () => {
    const order = await authorizedPayPalOrder(ts);
    await whileLapseUnannounced(ts, order, async () => {
      const res = await capturePayment(ts, order.id, 1000);
      expect(errorCode(res)).toBe('PROVIDER_ERROR');
      expect(res.errors![0].extensions).toMatchObject({ providerCode: 'AUTHORIZATION_EXPIRED' });
      const after = await amountsOf(ts, order.id);
      expect(after).toMatchObject({ status: 'EXPIRED', amountCaptured: 0, payments: [{ status: 'EXPIRED' }] });
      expect(after.events.map((e: { type: string }) => e.type)).toContain('CAPTURE_REFUSED');
      expect(await capturesOf(ts, order.paypal.paypalOrderId)).toHaveLength(0);
    });
  });

  it('a lapse found by the status sync (reconcileOrder) when no webhook arrives → EXPIRED', async () => {
    const order = await authorizedPayPalOrder(ts);
    await whileLapseUnannounced(ts, order, async () => {
      expect((await amountsOf(ts, order.id)).status).toBe('AUTHORIZED');
      const res = await gql<{ reconcileOrder: { status: string } }>(ts.graphqlUrl, RECONCILE, { id: order.id }, ts.adminKey);
      expect(res.errors).toBeUndefined();
      expect(res.data!.reconcileOrder.status).toBe('EXPIRED');
    });
    await webhooksSettled(ts);
    expect((await amountsOf(ts, order.id)).status).toBe('EXPIRED');
  });

  it('capturing more than authorized is BAD_USER_INPUT naming both amounts, and PayPal captures nothing', async () => {
    const order = await authorizedPayPalOrder(ts);
    const res = await capturePayment(ts, order.id, 5001);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain('5001 > 5000');
    expect(errorCode(await capturePayment(ts, order.id, 0))).toBe('BAD_USER_INPUT');
    expect((await authorizationsOf(ts, order.paypal.paypalOrderId))[0].status).toBe('CREATED');
    expect(await capturesOf(ts, order.paypal.paypalOrderId)).toHaveLength(0);
    expect((await amountsOf(ts, order.id)).status).toBe('AUTHORIZED');
  });

  it('two captures at once make one capture at PayPal; another amount afterwards is CONFLICT', async () => {
    const order = await authorizedPayPalOrder(ts);
    const results = await Promise.all([capturePayment(ts, order.id, 2000), capturePayment(ts, order.id, 2000)]);
    expect(results.filter((r) => !r.errors).length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.errors)) expect(errorCode(r)).toBe('CONFLICT');
    await webhooksSettled(ts);
    expect(await waitForStatus(order.id, 'PAID')).toMatchObject({ amountCaptured: 2000 });
    expect((await capturesOf(ts, order.paypal.paypalOrderId)).map((c) => c.amount.value)).toEqual(['20.00']);
    expect(errorCode(await capturePayment(ts, order.id, 100))).toBe('CONFLICT');
  });

  it('the customer’s order token is FORBIDDEN on capture and void', async () => {
    const order = await authorizedPayPalOrder(ts);
    expect(errorCode(await capturePayment(ts, order.id, undefined, order.token))).toBe('FORBIDDEN');
    expect(errorCode(await voidPayment(ts, order.id, order.token))).toBe('FORBIDDEN');
    expect((await authorizationsOf(ts, order.paypal.paypalOrderId))[0].status).toBe('CREATED');
    expect((await amountsOf(ts, order.id)).status).toBe('AUTHORIZED');
  });

  it('capturePayPalOrder before the buyer approved is PROVIDER_ERROR (ORDER_NOT_APPROVED) and leaves the order PENDING; after approval it authorizes', async () => {
    const order = await manualPayPalOrder(ts);
    const early = await capture(ts, order.id, order.token);
    expect(errorCode(early)).toBe('PROVIDER_ERROR');
    expect(early.errors![0].extensions).toMatchObject({ providerCode: 'ORDER_NOT_APPROVED' });
    expect((await amountsOf(ts, order.id)).status).toBe('PENDING');
    await buyer(order.paypal.approveUrl, 'approve');
    expect((await capture(ts, order.id, order.token)).data!.capturePayPalOrder.status).toBe('AUTHORIZED');
  });

  it('a declined authorization (PayPal-Mock-Response INSTRUMENT_DECLINED) fails the attempt: FAILED, nothing held', async () => {
    const order = await manualPayPalOrder(ts);
    await buyer(order.paypal.approveUrl, 'approve');
    const res = await capture(ts, order.id, order.token, { 'PayPal-Mock-Response': JSON.stringify({ mock_application_codes: 'INSTRUMENT_DECLINED' }) });
    expect(errorCode(res)).toBe('PROVIDER_ERROR');
    expect(res.errors![0].extensions).toMatchObject({ providerCode: 'INSTRUMENT_DECLINED' });
    expect(await amountsOf(ts, order.id)).toMatchObject({ status: 'FAILED', amountCaptured: 0, payments: [{ status: 'FAILED' }] });
    expect(await authorizationsOf(ts, order.paypal.paypalOrderId)).toEqual([]);
  });

  it('a capture whose answers are lost keeps its claim: another amount is CONFLICT, the same amount again finishes that one capture', async () => {
    const order = await authorizedPayPalOrder(ts);
    await coreControl(ts, 'POST', '/faults', { provider: 'paypal', match: 'POST /v2/payments/authorizations/*/capture', kind: 'timeout', count: 3 });
    const lost = await capturePayment(ts, order.id, 3000);
    expect(errorCode(lost)).toBe('PROVIDER_ERROR');
    expect(lost.errors![0].message).toContain('call capturePayment again with the same amount');
    expect(errorCode(await capturePayment(ts, order.id, 1000))).toBe('CONFLICT');
    await coreControl(ts, 'DELETE', '/faults', {});
    const finished = await capturePayment(ts, order.id, 3000);
    expect(finished.errors).toBeUndefined();
    expect(finished.data!.capturePayment).toMatchObject({ status: 'PAID', amountCaptured: 3000 });
    expect((await capturesOf(ts, order.paypal.paypalOrderId)).map((c) => c.amount.value)).toEqual(['30.00']);
  });
});
