import type Stripe from 'stripe';
import { OrderEntity, PaymentEntity } from '../../src/db/entities';
import { PaymentMethod, PaymentProvider, PaymentStatus } from '../../src/model/payment-types';
import { control } from '../helpers/sandbox.helpers';
import { errorCode, gql, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { charge, newOrder, orderOf, REFUND, refund, sandboxStripe, startStripeSandbox } from './stripe.e2e-helpers';

/** refundOrder against Stripe: partials, the rest, limits under concurrency, idempotent retries. */
describe('Stripe refunds', () => {
  let ts: TestService;
  let stripe: Stripe;
  beforeAll(async () => ({ ts, stripe } = await startStripeSandbox()));
  afterAll(() => ts.close());

  /** A USD 50.00 order paid with tok_visa; returns its id, token and Stripe charge id. */
  async function paidOrder() {
    const { id, token } = await newOrder(ts);
    const paid = await charge(ts, id, token, 'tok_visa');
    expect(paid.data!.chargeWithToken.order.status).toBe('PAID');
    return { id, token, chargeId: paid.data!.chargeWithToken.chargeId as string };
  }

  it('two partial refunds then the rest: PARTIALLY_REFUNDED → REFUNDED, each with its Stripe id', async () => {
    const { id, chargeId } = await paidOrder();
    const first = await refund(ts, id, 1000);
    expect(first.errors).toBeUndefined();
    expect(first.data!.refundOrder).toMatchObject({ amount: 1000, currency: 'USD', status: 'SUCCEEDED', providerRefundId: expect.stringMatching(/^re_/) });
    expect(await orderOf(ts, id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', amountRefunded: 1000 });

    expect((await refund(ts, id, 1500)).data!.refundOrder.status).toBe('SUCCEEDED');
    expect(await orderOf(ts, id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', amountRefunded: 2500 });

    const rest = await refund(ts, id);
    expect(rest.data!.refundOrder).toMatchObject({ amount: 2500, status: 'SUCCEEDED' });
    await webhooksSettled(ts);
    const order = await orderOf(ts, id);
    expect(order).toMatchObject({ status: 'REFUNDED', amountRefunded: 5000 });
    expect(order.refunds).toHaveLength(3);
    const moves = order.events.filter((e: { type: string }) => e.type === 'STATUS_CHANGED').map((e: { toStatus: string; source: string }) => [e.toStatus, e.source]);
    expect(moves).toEqual([
      ['PENDING', 'mutation:chargeWithToken'],
      ['PAID', 'mutation:chargeWithToken'],
      ['PARTIALLY_REFUNDED', 'mutation:refundOrder'],
      ['PARTIALLY_REFUNDED', 'mutation:refundOrder'],
      ['REFUNDED', 'mutation:refundOrder'],
    ]);

    const atStripe = await stripe.charges.retrieve(chargeId);
    expect(atStripe.amount_refunded).toBe(5000);
    expect(atStripe.refunded).toBe(true);
    const stripeRefund = await stripe.refunds.retrieve(first.data!.refundOrder.providerRefundId);
    expect(stripeRefund.metadata).toMatchObject({ refundId: first.data!.refundOrder.id, orderId: id });
  });

  it('an over-refund is CONFLICT and nothing reaches Stripe; non-admins are FORBIDDEN', async () => {
    const { id, token, chargeId } = await paidOrder();
    const over = await refund(ts, id, 5001);
    expect(errorCode(over)).toBe('CONFLICT');
    expect(over.errors![0].message).toContain('exceeds');
    expect(errorCode(await gql(ts.graphqlUrl, REFUND, { input: { orderId: id, amount: 100 } }, token))).toBe('FORBIDDEN');
    expect((await stripe.charges.retrieve(chargeId)).amount_refunded).toBe(0);
    expect(await orderOf(ts, id)).toMatchObject({ status: 'PAID', amountRefunded: 0, refunds: [] });
  });

  it('10 concurrent partial refunds summing over the paid amount never refund more than was paid', async () => {
    const { id, chargeId } = await paidOrder();
    const results = await Promise.all(Array.from({ length: 10 }, () => refund(ts, id, 700)));
    const ok = results.filter((r) => !r.errors);
    expect(results.filter((r) => r.errors).every((r) => errorCode(r) === 'CONFLICT')).toBe(true);
    expect(ok.length).toBeGreaterThan(0);
    expect(ok.length).toBeLessThanOrEqual(7);

    // Keep going until nothing is left; the total still cannot pass 5000.
    for (let i = 0; i < 10; i++) await refund(ts, id, 700);
    await webhooksSettled(ts);
    const order = await orderOf(ts, id);
    const succeeded = order.refunds.filter((r: { status: string }) => r.status === 'SUCCEEDED').reduce((sum: number, r: { amount: number }) => sum + r.amount, 0);
    expect(succeeded).toBe(order.amountRefunded);
    expect(order.amountRefunded).toBeLessThanOrEqual(5000);
    expect(order.amountRefunded).toBe(4900);
    expect(order.status).toBe('PARTIALLY_REFUNDED');
    const atStripe = await stripe.charges.retrieve(chargeId);
    expect(atStripe.amount_refunded).toBe(order.amountRefunded);
  }, 20000);

  it('a timeout on the refund call is retried with the same key: one refund at Stripe', async () => {
    const { id, chargeId } = await paidOrder();
    await control(ts.service.sandbox!, 'POST', '/faults', { provider: 'stripe', kind: 'timeout', match: 'POST /v1/refunds', count: 1 });
    const res = await refund(ts, id, 2000);
    expect(res.errors).toBeUndefined();
    expect(res.data!.refundOrder.status).toBe('SUCCEEDED');
    await webhooksSettled(ts);
    const atStripe = await stripe.charges.retrieve(chargeId, { expand: ['refunds'] });
    expect(atStripe.amount_refunded).toBe(2000);
    expect(atStripe.refunds!.data).toHaveLength(1);
    expect(await orderOf(ts, id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', amountRefunded: 2000 });
  });
});

describe('refunds of an order with several successful payments (a recorded historical double charge)', () => {
  let ts: TestService;
  let stripe: Stripe;
  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on' });
    stripe = sandboxStripe(ts);
  });
  afterAll(async () => ts.close());

  it('spread over the payments, newest first, never more than each one captured', async () => {
    const { id, token } = await newOrder(ts);
    const first = await charge(ts, id, token, 'tok_visa');
    const firstCharge = first.data!.chargeWithToken.chargeId as string;
    // The second charge happened long ago, before one attempt per order was enforced: a real
    // charge at Stripe, recorded as a second successful payment of the order.
    const pi = await stripe.paymentIntents.create({ amount: 5000, currency: 'usd', confirm: true, payment_method: 'pm_card_visa', return_url: 'https://shop.example/r' });
    const secondCharge = String(pi.latest_charge);
    const em = ts.service.orm.em.fork();
    const order = await em.findOneOrFail(OrderEntity, { id });
    em.persist(em.create(PaymentEntity, {
      order, provider: PaymentProvider.STRIPE, method: PaymentMethod.STRIPE_CARD, status: PaymentStatus.SUCCEEDED, amount: 5000, currency: 'USD',
      providerPaymentId: pi.id, providerChargeId: secondCharge, createdAt: new Date(Date.now() + 1000),
    }));
    await em.flush();

    const spread = await refund(ts, id, 7000);
    expect(spread.errors).toBeUndefined();
    expect((await stripe.charges.retrieve(secondCharge)).amount_refunded).toBe(5000);
    expect((await stripe.charges.retrieve(firstCharge)).amount_refunded).toBe(2000);
    expect(await orderOf(ts, id)).toMatchObject({ status: 'PARTIALLY_REFUNDED', amountRefunded: 7000 });

    expect(errorCode(await refund(ts, id, 3001))).toBe('CONFLICT');
    expect((await refund(ts, id)).data!.refundOrder).toMatchObject({ amount: 3000, status: 'SUCCEEDED' });
    expect((await stripe.charges.retrieve(firstCharge)).amount_refunded).toBe(5000);
    expect(await orderOf(ts, id)).toMatchObject({ status: 'REFUNDED', amountRefunded: 10000 });
  });
});
