import type { TestService } from '../helpers/service.helpers';
import { webhooksSettled } from '../e2e/paypal.kit';
import { amountsOf, authorizationsOf, authorizedPayPalOrder, capturePayment, capturesOf, voidPayment } from '../e2e/paypal-manual-capture.kit';
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
});
