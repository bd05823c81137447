import type { TestService } from '../helpers/service.helpers';
import { webhooksSettled } from '../e2e/paypal.kit';
import { amountsOf, authorizationsOf, authorizedPayPalOrder, capturePart, capturePayment, capturesOf, refundsOf, voidPayment } from '../e2e/paypal-manual-capture.kit';
import { gql } from '../helpers/service.helpers';
import { REFUND } from '../e2e/paypal.kit';
import { startPostgresService } from './postgres.helpers';

/** PayPal manual capture (intent AUTHORIZE) stored in PostgreSQL: the attempt's capture method, the claim and the facts. */
describe('PostgreSQL: PayPal authorize → capture / void through the sandbox', () => {
  let ts: TestService;
  beforeAll(async () => { ts = await startPostgresService('manual_capture', { SANDBOX: 'on' }); });
  afterAll(async () => { await ts?.close(); });

  it('authorize → two concurrent partial captures → one capture at PayPal, PAID with 2000 captured', async () => {
    const order = await authorizedPayPalOrder(ts);
    const results = await Promise.all([capturePayment(ts, order.id, 2000), capturePayment(ts, order.id, 2000)]);
    expect(results.filter((r) => !r.errors).length).toBeGreaterThanOrEqual(1);
    await webhooksSettled(ts);
    expect(await amountsOf(ts, order.id)).toMatchObject({ status: 'PAID', amountCaptured: 2000, payments: [{ status: 'SUCCEEDED' }] });
    expect((await capturesOf(ts, order.paypal.paypalOrderId)).map((c) => c.amount.value)).toEqual(['20.00']);
    const rows = await ts.service.orm.em.getConnection().execute(`select capture_method, captured_amount from payments where order_id = ?`, [order.id]);
    expect(rows).toEqual([{ capture_method: 'MANUAL', captured_amount: 2000 }]);
  });

  it('authorize → void → CANCELED, the authorization VOIDED at PayPal', async () => {
    const order = await authorizedPayPalOrder(ts);
    expect((await voidPayment(ts, order.id)).data!.voidPayment.status).toBe('CANCELED');
    expect((await authorizationsOf(ts, order.paypal.paypalOrderId))[0].status).toBe('VOIDED');
    await webhooksSettled(ts);
    expect((await amountsOf(ts, order.id)).status).toBe('CANCELED');
  });

  it('captures in parts (finalCapture false, then the rest): both captures kept (jsonb) and read back; a full refund is split per capture', async () => {
    const order = await authorizedPayPalOrder(ts);
    expect((await capturePart(ts, order.id, 300, false)).data!.capturePayment).toMatchObject({ status: 'PAID', amountCaptured: 300, payments: [{ amountCapturable: 4700 }] });
    const rest = await capturePart(ts, order.id, undefined);
    expect(rest.data!.capturePayment.payments[0].captures.map((c: { amount: number; final: boolean }) => [c.amount, c.final])).toEqual([[300, false], [4700, true]]);
    expect((await authorizationsOf(ts, order.paypal.paypalOrderId))[0].status).toBe('CAPTURED');
    await webhooksSettled(ts);
    expect((await gql(ts.graphqlUrl, REFUND, { input: { orderId: order.id } }, ts.adminKey)).errors).toBeUndefined();
    await webhooksSettled(ts);
    expect(await amountsOf(ts, order.id)).toMatchObject({ status: 'REFUNDED', amountCaptured: 5000, amountRefunded: 5000 });
    const refunds = await refundsOf(ts, order.id);
    expect(refunds.map((r) => r.amount.value).sort()).toEqual(['3.00', '47.00']);
    const rows = await ts.service.orm.em.getConnection().execute(`select r.provider_charge_id from refunds r where r.order_id = ? order by r.amount`, [order.id]);
    expect(rows.map((r) => r.provider_charge_id)).toEqual((await capturesOf(ts, order.paypal.paypalOrderId)).map((c) => c.id));
  });

  it('captured in part, then the rest released by voidPayment: the flag is stored and read back (nothing left to capture)', async () => {
    const order = await authorizedPayPalOrder(ts);
    expect((await capturePart(ts, order.id, 1000, false)).errors).toBeUndefined();
    expect((await voidPayment(ts, order.id)).data!.voidPayment).toMatchObject({ status: 'PAID', amountCaptured: 1000 });
    await webhooksSettled(ts);
    const res = await gql<{ order: { payments: { amountCapturable: number }[] } }>(ts.graphqlUrl, `query($id: ID!) { order(id: $id) { payments { amountCapturable } } }`, { id: order.id }, ts.adminKey);
    expect(res.data!.order.payments).toEqual([{ amountCapturable: 0 }]);
  });
});
