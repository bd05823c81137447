import { createHmac, randomBytes } from 'node:crypto';
import type { Fixture } from '../servers/service.server';

/** A signed delivery, ready to send as-is. */
export interface SignedEvent {
  eventId: string;
  orderId: string;
  body: string;
  signature: string;
}

/**
 * `checkout.session.completed` for each fixture, shaped and sized like Stripe's own (~830 bytes),
 * signed as Stripe signs (`t=…,v1=HMAC-SHA256(secret, "t.body")`).
 */
export function signedEvents(fixtures: Fixture[], secret: string, tag: string): SignedEvent[] {
  const t = Math.floor(Date.now() / 1000);
  return fixtures.map((f, i) => {
    const eventId = `evt_bench_${tag}_${i}_${randomBytes(6).toString('hex')}`;
    const body = JSON.stringify({
      id: eventId,
      object: 'event',
      api_version: '2025-09-30.clover',
      created: t,
      type: 'checkout.session.completed',
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: {
        object: {
          id: f.sessionId,
          object: 'checkout.session',
          amount_subtotal: f.amount,
          amount_total: f.amount,
          client_reference_id: f.orderId,
          created: t,
          currency: 'usd',
          customer_details: { email: 'buyer@example.com', name: null },
          expires_at: t + 86400,
          livemode: false,
          metadata: { orderId: f.orderId, paymentId: f.paymentId },
          mode: 'payment',
          payment_intent: `pi_${randomBytes(12).toString('hex')}`,
          payment_status: 'paid',
          status: 'complete',
          success_url: 'https://shop.example.com/order.html',
          url: null,
        },
      },
    });
    const signature = `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
    return { eventId, orderId: f.orderId, body, signature };
  });
}
