import { crc32 } from 'node:zlib';
import type { TestService } from '../helpers/service.helpers';
import { jsonWithCrc32 } from '../helpers/crc32-forge';
import { buyer, coreControl, getOrder, orderWithPayPal, paidOrder, postWebhook, sandboxEvents, sandboxSignature, startPayPalService, webhooksSettled } from './paypal.kit';
import * as stripeKit from './stripe.e2e-helpers';

/** Issue 12 item 6: a genuine signature must not carry a different body, nor a time far ahead. */
describe('forged webhook deliveries', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startPayPalService();
  });

  afterEach(async () => {
    await coreControl(ts, 'POST', '/webhooks/hold', { hold: false });
  });

  afterAll(async () => {
    await ts.close();
  });

  /** A paid order's genuine PAYMENT.CAPTURE.COMPLETED, and an approved (unpaid) order to forge one for. */
  async function genuineAndTarget() {
    const paid = await paidOrder(ts);
    const captureId: string = paid.captured.payments[0].providerChargeId;
    const genuine = (await sandboxEvents(ts)).find((e) => e.eventType === 'PAYMENT.CAPTURE.COMPLETED' && e.body.includes(captureId))!;
    const target = await orderWithPayPal(ts);
    await buyer(target.paypal.approveUrl, 'approve');
    const forged = JSON.parse(genuine.body) as Record<string, any>;
    forged.id = `WH-FORGED-${Date.now()}`;
    forged.resource.id = 'FORGEDCAPTURE0001';
    forged.resource.custom_id = target.paypal.order.payments[0].id;
    forged.resource.supplementary_data = { related_ids: { order_id: target.paypal.paypalOrderId } };
    return { genuine: Buffer.from(genuine.body), target, forged };
  }

  it('refuses a different body padded to the CRC-32 of a genuine delivery, under its transmission headers', async () => {
    const { genuine, target, forged } = await genuineAndTarget();
    const headers = await sandboxSignature(ts, genuine.toString());
    expect((await postWebhook(ts, genuine, headers)).status).toBe(200);
    const body = jsonWithCrc32(forged, crc32(genuine) >>> 0);
    const replay = await postWebhook(ts, body, headers);
    expect(replay.status).toBe(400);
    expect(replay.json.error).toMatch(/PAYPAL-TRANSMISSION-ID \S+ already signed another body/);
    expect((await getOrder(ts, target.id)).status).toBe('PENDING');
    // The genuine body again under its own headers is a redelivery, not a forgery.
    expect((await postWebhook(ts, genuine, headers)).status).toBe(200);
  });

  it('applies what PayPal says about a capture, not what a signed event claims', async () => {
    const { target, forged } = await genuineAndTarget();
    const body = JSON.stringify(forged);
    const res = await postWebhook(ts, body, await sandboxSignature(ts, body));
    expect(res.status).toBe(200);
    await webhooksSettled(ts);
    const [stored] = await ts.service.orm.em.getConnection().execute<{ outcome: string }[]>('select outcome from webhook_events where event_id = ?', [forged.id]);
    expect(stored.outcome).toMatch(/PayPal has no capture FORGEDCAPTURE0001/);
    const order = await getOrder(ts, target.id);
    expect(order.status).toBe('PENDING');
    expect(order.payments[0].status).not.toBe('SUCCEEDED');
  });

  it('refuses a Stripe signature dated 7 days ahead and applies nothing; the same event signed now applies', async () => {
    await stripeKit.holdWebhooks(ts, true);
    const { id, token } = await stripeKit.newOrder(ts);
    const session = (await stripeKit.checkout(ts, id, token)).data!.createCheckoutSession;
    expect((await stripeKit.payOnHostedPage(session.url)).status).toBe(303);
    const completed = (await stripeKit.sandboxEvents(ts)).find((e) => e.eventType === 'checkout.session.completed' && e.body.data.object.client_reference_id === id)!;
    const payload = JSON.stringify(completed.body);
    const stripe = stripeKit.sandboxStripe(ts);
    const future = await stripeKit.postWebhook(ts, payload, { 'stripe-signature': stripeKit.sign(stripe, payload, undefined, Math.floor(Date.now() / 1000) + 7 * 86400) });
    expect(future.status).toBe(400);
    expect(((await future.json()) as { error: string }).error).toMatch(/timestamp \d+ is more than 60 s in the future/);
    expect((await stripeKit.orderOf(ts, id)).status).toBe('PENDING');
    const now = await stripeKit.postWebhook(ts, payload, { 'stripe-signature': stripeKit.sign(stripe, payload) });
    expect(now.status).toBe(200);
    await webhooksSettled(ts);
    expect((await stripeKit.orderOf(ts, id)).status).toBe('PAID');
  });
});
