import type Stripe from 'stripe';
import { CATALOG_SEED } from '../../src/domain/catalog.seed';
import type { TestService } from '../helpers/service.helpers';
import { charge, checkout, newOrder, payOnHostedPage, refund, startStripeSandbox, waitForStatus } from './stripe.e2e-helpers';

const price = (sku: string) => CATALOG_SEED.find((p) => p.sku === sku)!.unitAmount;

/** Amounts reach Stripe in the currency's smallest unit exactly as the catalog holds them. */
describe('Stripe amounts per currency', () => {
  let ts: TestService;
  let stripe: Stripe;
  beforeAll(async () => ({ ts, stripe } = await startStripeSandbox()));
  afterAll(() => ts.close());

  it('JPY (zero-decimal): ¥1,500 is sent as 1500, not 150000, for a card charge and a refund', async () => {
    const { id, token, order } = await newOrder(ts, [{ sku: 'MATCHA-30G', quantity: 1 }]);
    expect(order).toMatchObject({ amount: 1500, currency: 'JPY' });
    const res = await charge(ts, id, token, 'tok_visa');
    expect(res.errors).toBeUndefined();
    const pi = await stripe.paymentIntents.retrieve(res.data!.chargeWithToken.order.payments[0].providerPaymentId);
    expect(pi).toMatchObject({ amount: 1500, currency: 'jpy', status: 'succeeded' });
    const refunded = await refund(ts, id, 500);
    expect(refunded.data!.refundOrder).toMatchObject({ amount: 500, currency: 'JPY', status: 'SUCCEEDED' });
    expect((await stripe.refunds.retrieve(refunded.data!.refundOrder.providerRefundId)).amount).toBe(500);
  });

  it('JPY Checkout: line items carry ¥ amounts as-is and the paid session matches the order', async () => {
    const { id, token } = await newOrder(ts, [{ sku: 'FUROSHIKI', quantity: 2 }]);
    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    const atStripe = await stripe.checkout.sessions.retrieve(session.sessionId);
    expect(atStripe).toMatchObject({ amount_total: 2 * price('FUROSHIKI'), currency: 'jpy' });
    const lines = await stripe.checkout.sessions.listLineItems(session.sessionId);
    expect(lines.data.map((l) => [l.price?.unit_amount, l.quantity, l.amount_total])).toEqual([[2800, 2, 5600]]);
    await payOnHostedPage(session.url);
    const order = await waitForStatus(ts, id, 'PAID');
    expect(order.events.some((e: { type: string }) => e.type === 'NEEDS_ATTENTION')).toBe(false);
  });

  it('GBP: the session matches the seed’s pence amounts (2 × £8.50 + £34.99 = £51.99)', async () => {
    const { id, token, order } = await newOrder(ts, [{ sku: 'TEA-EARLGREY', quantity: 2 }, { sku: 'SCARF-WOOL', quantity: 1 }]);
    expect(order).toMatchObject({ amount: 2 * price('TEA-EARLGREY') + price('SCARF-WOOL'), currency: 'GBP' });
    expect(order.amount).toBe(5199);
    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    const lines = await stripe.checkout.sessions.listLineItems(session.sessionId);
    expect(lines.data.map((l) => [l.description, l.currency, l.price?.unit_amount, l.quantity])).toEqual([
      ['Earl Grey tea', 'gbp', 850, 2],
      ['Wool scarf', 'gbp', 3499, 1],
    ]);
    expect((await stripe.checkout.sessions.retrieve(session.sessionId)).amount_total).toBe(5199);
    await payOnHostedPage(session.url);
    const paid = await waitForStatus(ts, id, 'PAID');
    expect(paid.payments[0]).toMatchObject({ amount: 5199, currency: 'GBP', status: 'SUCCEEDED' });
  });
});
