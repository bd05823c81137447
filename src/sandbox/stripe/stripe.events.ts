import { createHmac } from 'node:crypto';
import type { SandboxContext } from '../core/sandbox.types';
import { nowSeconds, stripeId } from './stripe.ids';
import { snapshot } from './stripe.objects';
import type { StripeObject, StripeStore } from './stripe.store';

/** The API version the sandbox's objects follow (the bundled OpenAPI spec's). */
export const SANDBOX_API_VERSION = '2023-08-16';

/** The API request that caused an event; both null for automatic events (pages, timers, controls). */
export interface EventOrigin {
  requestId: string | null;
  idempotencyKey: string | null;
}

/** For events not caused by an API call. */
export const AUTOMATIC: EventOrigin = { requestId: null, idempotencyKey: null };

/** `Stripe-Signature` value for a payload: `t=<unix>,v1=<hex HMAC-SHA256(secret, "t.payload")>`. */
export function stripeSignature(secret: string, payload: string, timestamp = nowSeconds()): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** Builds Stripe event envelopes, keeps them for `GET /v1/events/:id`, and queues their webhooks. */
export class StripeEvents {
  constructor(
    private readonly store: StripeStore,
    private readonly ctx: SandboxContext,
  ) {}

  /** Emit `type` about a snapshot of `object` as it is now. */
  emit(type: string, object: StripeObject, origin: EventOrigin, previousAttributes?: Record<string, unknown>): StripeObject {
    const event: StripeObject = {
      id: stripeId('evt'),
      object: 'event',
      api_version: SANDBOX_API_VERSION,
      created: nowSeconds(),
      data: { object: snapshot(object), ...(previousAttributes ? { previous_attributes: previousAttributes } : {}) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: origin.requestId, idempotency_key: origin.idempotencyKey },
      type,
    };
    this.store.events.set(event.id, event);
    const body = JSON.stringify(event, null, 2);
    const secret = this.ctx.options.stripe.webhookSecret;
    this.ctx.webhooks.enqueue({
      provider: 'stripe',
      eventId: event.id,
      eventType: type,
      body,
      sign: (b) => ({ 'Stripe-Signature': stripeSignature(secret, b), 'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' }),
    });
    return event;
  }
}
