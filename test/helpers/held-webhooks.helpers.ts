/**
 * Paying while the sandbox holds Stripe's webhooks: the order is paid at Stripe, our service has
 * not heard of it yet, and the test decides when (and how) the events arrive.
 */
import { checkout, newOrder, payOnHostedPage, sandboxEvents, type SandboxEvent } from '../e2e/stripe.e2e-helpers';
import type { TestService } from './service.helpers';

export interface PaidWhileHeld {
  id: string;
  token: string;
  sessionId: string;
  /** Every Stripe event the sandbox generated for this order (held, not yet delivered). */
  events: SandboxEvent[];
}

/**
 * A new order's Checkout paid on the hosted page; call it with webhooks held
 * (`holdWebhooks(ts, true)`), so the events are in `events` and not yet applied.
 */
export async function paidWhileHeld(ts: TestService): Promise<PaidWhileHeld> {
  const { id, token } = await newOrder(ts);
  const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
  expect((await payOnHostedPage(session.url)).status).toBe(303);
  const events = (await sandboxEvents(ts)).filter((e) => {
    const o = e.body.data.object;
    return o.metadata?.orderId === id || o.client_reference_id === id;
  });
  return { id, token, sessionId: session.sessionId, events };
}
