import { createOrder, errorCode, gql, type TestService } from '../helpers/service.helpers';
import { CANCEL_URL, CREATE, RETURN_URL, buyer, capture, getOrder, orderWithPayPal, paypalControl, startPayPalService, stats } from './paypal.kit';

describe('PayPal amounts in each currency', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startPayPalService();
  });

  afterAll(async () => {
    await ts.close();
  });

  it('JPY goes to PayPal without decimals and is paid in full', async () => {
    const order = await orderWithPayPal(ts, [{ sku: 'MATCHA-30G', quantity: 1 }, { sku: 'FUROSHIKI', quantity: 2 }]);
    const record = await paypalControl(ts, 'GET', `/orders/${order.paypal.paypalOrderId}`);
    const unit = record.order.purchase_units[0];
    expect(unit.amount).toEqual({ currency_code: 'JPY', value: '7100', breakdown: { item_total: { currency_code: 'JPY', value: '7100' } } });
    expect(unit.items.map((i: any) => [i.sku, i.quantity, i.unit_amount.value])).toEqual([['MATCHA-30G', '1', '1500'], ['FUROSHIKI', '2', '2800']]);
    await buyer(order.paypal.approveUrl, 'approve');
    const res = await capture(ts, order.id, order.token);
    expect(res.data!.capturePayPalOrder).toMatchObject({ status: 'PAID', amount: 7100, currency: 'JPY' });
    expect(res.data!.capturePayPalOrder.payments[0]).toMatchObject({ status: 'SUCCEEDED', amount: 7100 });
  });

  it('USD goes with two decimals', async () => {
    const order = await orderWithPayPal(ts, [{ sku: 'STICKER-PACK', quantity: 3 }, { sku: 'MUG-WHT', quantity: 1 }]);
    const unit = (await paypalControl(ts, 'GET', `/orders/${order.paypal.paypalOrderId}`)).order.purchase_units[0];
    expect(unit.amount.value).toBe('26.97');
    expect(unit.items.map((i: any) => i.unit_amount.value)).toEqual(['4.99', '12.00']);
  });

  it('KWD (not a PayPal currency) is BAD_USER_INPUT before any PayPal call, and the order is untouched', async () => {
    const order = await createOrder(ts.graphqlUrl, [{ sku: 'DATES-BOX', quantity: 1 }]);
    const before = await stats(ts);
    const res = await gql(ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: CANCEL_URL } }, order.token);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].message).toMatch(/PayPal does not accept payments in KWD/);
    const after = await stats(ts);
    expect(after.orders).toBe(before.orders);
    const stored = await getOrder(ts, order.id);
    expect(stored.status).toBe('CREATED');
    expect(stored.payments).toEqual([]);
  });
});
