import type Stripe from 'stripe';
import { WebhookEventEntity } from '../../src/db/entities';
import type { TestService } from '../helpers/service.helpers';
import { capture, getOrder, orderWithPayPal, buyer, paypalControl, webhooksSettled } from '../e2e/paypal.kit';
import { charge, checkout, newOrder, payOnHostedPage, refund, sandboxEvents, sandboxStripe, waitForStatus } from '../e2e/stripe.e2e-helpers';
import { startPostgresService } from './postgres.helpers';

/** Whole payments through the provider sandbox, stored in PostgreSQL. */
describe('PostgreSQL: Stripe Checkout and PayPal capture through the sandbox', () => {
  let ts: TestService;
  let stripe: Stripe;

  beforeAll(async () => {
    ts = await startPostgresService('payments', { SANDBOX: 'on' });
    stripe = sandboxStripe(ts);
  });

  afterAll(async () => {
    await ts?.close();
  });

  const storedEvents = (provider: string) => ts.service.orm.em.fork().find(WebhookEventEntity, { provider }, { orderBy: { receivedAt: 'asc' } });

  it('Stripe Checkout: hosted page → signed webhook → PAID; then a partial refund, matching Stripe', async () => {
    const { id, token } = await newOrder(ts, [{ sku: 'TSHIRT-BLK', quantity: 2 }, { sku: 'MUG-WHT', quantity: 1 }]);
    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    expect(session.order.status).toBe('PENDING');
    expect((await payOnHostedPage(session.url)).status).toBe(303);

    const paid = await waitForStatus(ts, id, 'PAID');
    expect(paid.payments).toEqual([expect.objectContaining({ status: 'SUCCEEDED', amount: 6200, providerSessionId: session.sessionId, providerPaymentId: expect.stringMatching(/^pi_/) })]);
    expect(paid.events.filter((e: { type: string }) => e.type === 'STATUS_CHANGED').map((e: { toStatus: string }) => e.toStatus)).toEqual(['PENDING', 'PAID']);
    await webhooksSettled(ts);
    const stored = await storedEvents('STRIPE');
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((e) => e.receivedAt instanceof Date && e.outcome !== 'RECEIVED')).toBe(true);

    const refunded = await refund(ts, id, 1200);
    expect(refunded.errors).toBeUndefined();
    expect(refunded.data!.refundOrder).toMatchObject({ amount: 1200, status: 'SUCCEEDED', providerRefundId: expect.stringMatching(/^re_/) });
    const after = await waitForStatus(ts, id, 'PARTIALLY_REFUNDED');
    expect(after.amountRefunded).toBe(1200);
    const pi = await stripe.paymentIntents.retrieve(paid.payments[0].providerPaymentId, { expand: ['latest_charge'] });
    expect((pi.latest_charge as Stripe.Charge).amount_refunded).toBe(1200);
  });

  it('PayPal: approve → capture → PAID, the capture webhook stored once; a refund of the rest → REFUNDED', async () => {
    const order = await orderWithPayPal(ts);
    expect(order.paypal.order.status).toBe('PENDING');
    await buyer(order.paypal.approveUrl, 'approve');
    const captured = await capture(ts, order.id, order.token);
    expect(captured.errors).toBeUndefined();
    expect(captured.data!.capturePayPalOrder).toMatchObject({ status: 'PAID', payments: [expect.objectContaining({ provider: 'PAYPAL', status: 'SUCCEEDED' })] });
    const captureId = captured.data!.capturePayPalOrder.payments[0].providerChargeId;
    await webhooksSettled(ts);
    const completed = (await storedEvents('PAYPAL')).filter((e) => e.type === 'PAYMENT.CAPTURE.COMPLETED');
    expect(completed).toHaveLength(1);

    const rest = await refund(ts, order.id);
    expect(rest.errors).toBeUndefined();
    expect(rest.data?.refundOrder).toMatchObject({ amount: order.order.amount, status: 'SUCCEEDED' });
    await webhooksSettled(ts);
    const after = await getOrder(ts, order.id);
    expect(after).toMatchObject({ status: 'REFUNDED', amountRefunded: order.order.amount });
    expect((await paypalControl(ts, 'GET', `/captures/${captureId}`)).status).toBe('REFUNDED');
  });

  it('capturePayPalOrder and chargeWithToken together, 20 times, on concurrent connections: one payment each time', async () => {
    for (let run = 0; run < 20; run++) {
      const order = await orderWithPayPal(ts);
      await buyer(order.paypal.approveUrl, 'approve');
      await Promise.all([capture(ts, order.id, order.token), charge(ts, order.id, order.token, 'tok_visa')]);
      await ts.service.sandbox!.idle();
      const view = await getOrder(ts, order.id);
      const captures = (await paypalControl(ts, 'GET', `/orders/${order.paypal.paypalOrderId}`)).record.captureIds.length;
      const charges = (await sandboxEvents(ts)).filter((e) => e.eventType === 'payment_intent.succeeded' && e.body.data.object.metadata?.orderId === order.id).length;
      const kept = view.payments.filter((p: { status: string; autoRefundReason: string | null }) => p.status === 'SUCCEEDED' && !p.autoRefundReason).length;
      expect({ run, moved: captures + charges, kept, status: view.status }).toEqual({ run, moved: 1, kept: 1, status: 'PAID' });
    }
  }, 120_000);
});
