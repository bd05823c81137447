import type { SandboxContext } from '../core/sandbox.types';
import { paypalTime, webhookEventId } from './paypal.ids';
import { signWebhook, signingIdentity } from './paypal.signing';
import type { PayPalState } from './paypal.state';

/** `resource_type` per event family, as in PayPal's samples. */
export type ResourceType = 'checkout-order' | 'authorization' | 'capture' | 'refund' | 'dispute';

/** Public URL of the signing certificate (PayPal's `/v1/notifications/certs/CERT-…` form). */
export function certUrl(ctx: SandboxContext): string {
  return `${ctx.baseUrl()}/v1/notifications/certs/${signingIdentity().certId}`;
}

/**
 * Builds a webhook event in PayPal's envelope, records the exact bytes
 * (verify-webhook-signature needs them) and hands it to the core for
 * at-least-once delivery; every attempt is signed afresh.
 */
export function emitEvent(
  ctx: SandboxContext, state: PayPalState,
  eventType: string, resourceType: ResourceType, summary: string, resource: Record<string, unknown>,
): string {
  const id = webhookEventId();
  const createTime = paypalTime();
  const base = ctx.baseUrl();
  const envelope = {
    id,
    event_version: '1.0',
    create_time: createTime,
    resource_type: resourceType,
    resource_version: resourceType === 'dispute' ? '1.1' : '2.0',
    event_type: eventType,
    summary,
    resource,
    links: [
      { href: `${base}/v1/notifications/webhooks-events/${id}`, rel: 'self', method: 'GET' },
      { href: `${base}/v1/notifications/webhooks-events/${id}/resend`, rel: 'resend', method: 'POST' },
    ],
  };
  const body = JSON.stringify(envelope);
  state.events.set(id, { id, eventType, body, createTime });
  const webhookId = ctx.options.paypal.webhookId;
  ctx.webhooks.enqueue({
    provider: 'paypal',
    eventId: id,
    eventType,
    body,
    sign: (bytes) => signWebhook(bytes, webhookId, certUrl(ctx)),
  });
  ctx.log('paypal webhook queued', { id, eventType });
  return id;
}
