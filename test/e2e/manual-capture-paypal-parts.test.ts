import { control } from '../helpers/sandbox.helpers';
import { errorCode, eventually, gql, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { coreControl, paypalControl, REFUND, sandboxEvents, startPayPalService, strayCall } from './paypal.kit';
import { amountsOf, authorizationsOf, authorizedPayPalOrder, capturePart, capturesOf, refundsOf, voidPayment } from './paypal-manual-capture.kit';

const PAYMENT_CAPTURES = `query($id: ID!) { order(id: $id) { status amountCaptured payments { status amountCapturable captures { id amount final } } events { type } } }`;

/** PayPal takes several captures of one authorization until a final one: capturePayment with finalCapture false, through the service and the sandbox. */
describe('PayPal manual capture in parts (finalCapture: false)', () => {
  let ts: TestService;
  beforeAll(async () => { ts = await startPayPalService(); });
  afterAll(async () => { await ts.close(); });

  const shown = async (id: string) => (await gql<{ order: Record<string, any> }>(ts.graphqlUrl, PAYMENT_CAPTURES, { id }, ts.adminKey)).data!.order;
  const eventTypes = async (id: string) => (await shown(id)).events.map((e: { type: string }) => e.type);

  /** An authorized order (5000) with 300 captured, the authorization left open. */
  async function partlyCaptured() {
    const order = await authorizedPayPalOrder(ts);
    const first = await capturePart(ts, order.id, 300, false);
    expect(first.errors).toBeUndefined();
    return order;
  }

  it('capture 300 (not final) → PAID with 300 captured, the authorization still open; the rest (final) → everything captured in two PayPal captures', async () => {
    const order = await authorizedPayPalOrder(ts);
    const first = await capturePart(ts, order.id, 300, false);
    expect(first.errors).toBeUndefined();
    expect(first.data!.capturePayment).toMatchObject({ status: 'PAID', amount: 5000, amountCaptured: 300, payments: [{ status: 'SUCCEEDED', amountCapturable: 4700, captures: [{ amount: 300, final: false }] }] });
    expect((await authorizationsOf(ts, order.paypal.paypalOrderId))[0].status).toBe('PARTIALLY_CAPTURED');

    const rest = await capturePart(ts, order.id, undefined);
    expect(rest.errors).toBeUndefined();
    expect(rest.data!.capturePayment).toMatchObject({ status: 'PAID', amountCaptured: 5000, payments: [{ amountCapturable: 0 }] });
    const captures = await capturesOf(ts, order.paypal.paypalOrderId);
    expect(captures.map((c) => [c.amount.value, c.final_capture])).toEqual([['3.00', false], ['47.00', true]]);
    expect((await authorizationsOf(ts, order.paypal.paypalOrderId))[0].status).toBe('CAPTURED');
    expect(rest.data!.capturePayment.payments[0].captures).toEqual(captures.map((c) => ({ id: c.id, amount: c.amount.value === '3.00' ? 300 : 4700, final: c.final_capture })));

    // Both captures' webhooks arrive after the answers: applied as what they are, not a second (late) payment.
    await webhooksSettled(ts);
    expect(await amountsOf(ts, order.id)).toMatchObject({ status: 'PAID', amountCaptured: 5000, payments: [{ status: 'SUCCEEDED' }] });
    const types = await eventTypes(order.id);
    expect(types.filter((t: string) => t === 'NEEDS_ATTENTION' || t === 'LATE_PAYMENT_REFUNDED')).toEqual([]);
    // The second capture is logged once, however many times its facts arrive.
    expect(types.filter((t: string) => t === 'PAYMENT_CAPTURED')).toHaveLength(1);
    // The authorization is closed: one more capture is refused, PayPal is not asked.
    expect(errorCode(await capturePart(ts, order.id, 100))).toBe('CONFLICT');
    expect(await capturesOf(ts, order.paypal.paypalOrderId)).toHaveLength(2);
  });

  it('a capture beyond what is left is BAD_USER_INPUT naming the amounts, and PayPal captures nothing more', async () => {
    const order = await partlyCaptured();
    const res = await capturePart(ts, order.id, 4701, false);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toContain('4701 > 4700');
    expect(res.errors![0].message).toContain('$3.00 captured already');
    expect(await capturesOf(ts, order.paypal.paypalOrderId)).toHaveLength(1);
    expect(await amountsOf(ts, order.id)).toMatchObject({ status: 'PAID', amountCaptured: 300 });
    // Exactly what is left, not final: it takes everything, so PayPal closes the authorization.
    const last = await capturePart(ts, order.id, 4700, false);
    expect(last.data!.capturePayment).toMatchObject({ amountCaptured: 5000 });
    expect((await authorizationsOf(ts, order.paypal.paypalOrderId))[0].status).toBe('CAPTURED');
  });

  it('a refund of everything captured in two parts is split across the captures, none over its capture → REFUNDED', async () => {
    const order = await partlyCaptured();
    expect((await capturePart(ts, order.id, 1200)).data!.capturePayment.amountCaptured).toBe(1500);
    await webhooksSettled(ts);
    const tooMuch = await gql(ts.graphqlUrl, REFUND, { input: { orderId: order.id, amount: 1501 } }, ts.adminKey);
    expect(errorCode(tooMuch)).toBe('CONFLICT');
    const all = await gql(ts.graphqlUrl, REFUND, { input: { orderId: order.id } }, ts.adminKey);
    expect(all.errors).toBeUndefined();
    const done = await eventually(async () => {
      const o = await amountsOf(ts, order.id);
      return o.status === 'REFUNDED' ? o : undefined;
    }, 'the order to be REFUNDED');
    expect(done).toMatchObject({ amountCaptured: 1500, amountRefunded: 1500 });
    const captures = await capturesOf(ts, order.paypal.paypalOrderId);
    const refunds = await refundsOf(ts, order.id);
    expect(refunds).toHaveLength(2);
    for (const capture of captures) {
      const mine = refunds.filter((r) => r.supplementary_data.related_ids.capture_id === capture.id);
      expect(mine.map((r) => r.amount.value)).toEqual([capture.amount.value]);
      expect(capture.status).toBe('REFUNDED');
    }
  });

  it('both captures’ PAYMENT.CAPTURE.COMPLETED delivered in reverse order, the second one’s answer lost: the order converges to everything captured', async () => {
    await webhooksSettled(ts);
    await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: true });
    let order: Awaited<ReturnType<typeof partlyCaptured>>;
    try {
      order = await partlyCaptured();
      await coreControl(ts, 'POST', '/faults', { provider: 'paypal', match: 'POST /v2/payments/authorizations/*/capture', kind: 'timeout', count: 3 });
      expect(errorCode(await capturePart(ts, order.id, 4700))).toBe('PROVIDER_ERROR');
      await coreControl(ts, 'DELETE', '/faults', {});
      expect(await amountsOf(ts, order.id)).toMatchObject({ amountCaptured: 300 });
    } finally {
      await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: false });
    }
    const completed = (await sandboxEvents(ts)).filter((e) => e.eventType === 'PAYMENT.CAPTURE.COMPLETED' && JSON.parse(e.body).resource.supplementary_data?.related_ids?.order_id === order.paypal.paypalOrderId);
    expect(completed).toHaveLength(2);
    const released = await control(ts.service.sandbox!, 'POST', '/webhooks/release', { provider: 'paypal', order: completed.map((e) => e.id).reverse() });
    expect(released.status).toBe(200);
    await webhooksSettled(ts);
    const after = await shown(order.id);
    expect(after).toMatchObject({ status: 'PAID', amountCaptured: 5000, payments: [{ status: 'SUCCEEDED' }] });
    expect(after.payments[0].captures.map((c: { amount: number }) => c.amount).sort((a: number, b: number) => a - b)).toEqual([300, 4700]);
    expect(after.events.filter((e: { type: string }) => e.type === 'NEEDS_ATTENTION' || e.type === 'LATE_PAYMENT_REFUNDED')).toEqual([]);
    // The same request again finishes that capture (same PayPal-Request-Id): nothing captured twice.
    const again = await capturePart(ts, order.id, 4700);
    expect(again.errors).toBeUndefined();
    expect(again.data!.capturePayment.amountCaptured).toBe(5000);
    expect(await capturesOf(ts, order.paypal.paypalOrderId)).toHaveLength(2);
  });

  it('two further captures at once make one capture at PayPal', async () => {
    const order = await partlyCaptured();
    const results = await Promise.all([capturePart(ts, order.id, 1000, false), capturePart(ts, order.id, 1000, false)]);
    expect(results.filter((r) => !r.errors).length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.errors)) expect(errorCode(r)).toBe('CONFLICT');
    await webhooksSettled(ts);
    expect((await capturesOf(ts, order.paypal.paypalOrderId)).map((c) => c.amount.value)).toEqual(['3.00', '10.00']);
    expect(await amountsOf(ts, order.id)).toMatchObject({ status: 'PAID', amountCaptured: 1300 });
    expect((await authorizationsOf(ts, order.paypal.paypalOrderId))[0].status).toBe('PARTIALLY_CAPTURED');
  });

  it('voidPayment on a partly captured authorization releases the rest: the order stays PAID with what was captured, no further capture', async () => {
    const order = await partlyCaptured();
    const res = await voidPayment(ts, order.id);
    expect(res.errors).toBeUndefined();
    expect(res.data!.voidPayment).toMatchObject({ status: 'PAID', amountCaptured: 300, payments: [{ status: 'SUCCEEDED' }] });
    expect((await shown(order.id)).payments[0].amountCapturable).toBe(0);
    expect((await authorizationsOf(ts, order.paypal.paypalOrderId))[0].status).toBe('VOIDED');
    expect(await eventTypes(order.id)).toContain('AUTHORIZATION_RELEASED');
    const more = await capturePart(ts, order.id, 100);
    expect(errorCode(more)).toBe('CONFLICT');
    expect(more.errors![0].message).toContain('$3.00 of the $50.00 authorized was captured already');
    await webhooksSettled(ts);
    expect(await amountsOf(ts, order.id)).toMatchObject({ status: 'PAID', amountCaptured: 300 });
    expect(await capturesOf(ts, order.paypal.paypalOrderId)).toHaveLength(1);
  });

  it('a reauthorization made at PayPal after the honor period changes nothing for the order, and the next capture goes on the new authorization', async () => {
    const order = await authorizedPayPalOrder(ts);
    const [auth] = await authorizationsOf(ts, order.paypal.paypalOrderId);
    await paypalControl(ts, 'POST', `/authorizations/${auth.id}/end-honor-period`, {});
    const renewed = await strayCall(ts, `/v2/payments/authorizations/${auth.id}/reauthorize`, {});
    expect([renewed.status, renewed.body.status]).toEqual([201, 'CREATED']);
    await webhooksSettled(ts);
    expect(await eventTypes(order.id)).not.toContain('NEEDS_ATTENTION');
    const res = await capturePart(ts, order.id, 2000);
    expect(res.data!.capturePayment).toMatchObject({ status: 'PAID', amountCaptured: 2000 });
    const [capture] = await capturesOf(ts, order.paypal.paypalOrderId);
    // A capture of an authorization links up to it.
    expect(capture.links.find((l: { rel: string }) => l.rel === 'up').href).toMatch(new RegExp(`/v2/payments/authorizations/${renewed.body.id}$`));
  });

  it('the rest voided at PayPal with nobody told (webhooks held): reconcileOrder learns it from the order, and no further capture is tried', async () => {
    const order = await partlyCaptured();
    const [auth] = await authorizationsOf(ts, order.paypal.paypalOrderId);
    await webhooksSettled(ts);
    await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: true });
    try {
      expect((await strayCall(ts, `/v2/payments/authorizations/${auth.id}/void`, {})).body.status).toBe('VOIDED');
      const synced = await gql<{ reconcileOrder: { status: string } }>(ts.graphqlUrl, `mutation($id: ID!) { reconcileOrder(orderId: $id) { status } }`, { id: order.id }, ts.adminKey);
      expect(synced.data!.reconcileOrder.status).toBe('PAID');
      expect(await eventTypes(order.id)).toContain('AUTHORIZATION_RELEASED');
      expect(errorCode(await capturePart(ts, order.id, 100))).toBe('CONFLICT');
    } finally {
      await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: false });
      await coreControl(ts, 'POST', '/webhooks/release', { provider: 'paypal' });
    }
    await webhooksSettled(ts);
    expect(await amountsOf(ts, order.id)).toMatchObject({ status: 'PAID', amountCaptured: 300 });
    expect(await capturesOf(ts, order.paypal.paypalOrderId)).toHaveLength(1);
  });

  it('PayPal-Request-Id: the same on the retry of a non-final capture whose answer was lost (one capture), a new one for the next capture', async () => {
    const order = await partlyCaptured();
    await coreControl(ts, 'POST', '/faults', { provider: 'paypal', match: 'POST /v2/payments/authorizations/*/capture', kind: 'timeout', count: 3 });
    expect(errorCode(await capturePart(ts, order.id, 1000, false))).toBe('PROVIDER_ERROR');
    await coreControl(ts, 'DELETE', '/faults', {});
    // PayPal did capture it; had the retry another id, PayPal would capture 10.00 again (the authorization is still open).
    const retried = await capturePart(ts, order.id, 1000, false);
    expect(retried.data!.capturePayment).toMatchObject({ status: 'PAID', amountCaptured: 1300 });
    expect((await capturesOf(ts, order.paypal.paypalOrderId)).map((c) => c.amount.value)).toEqual(['3.00', '10.00']);
    const next = await capturePart(ts, order.id, 1000, false);
    expect(next.data!.capturePayment.amountCaptured).toBe(2300);
    expect((await capturesOf(ts, order.paypal.paypalOrderId)).map((c) => c.amount.value)).toEqual(['3.00', '10.00', '10.00']);
  });
});
