import type { PaymentAction } from '../../domain/providers/provider-events';
import { authorizationAction } from './paypal.authorization-events';
import type { PayPalClient } from './paypal.client';
import { toProviderError } from './paypal.errors';
import { captureAction, eventActions, refundAction } from './paypal.events';
import { isSdkHttpError, sdk, type SdkRequest } from './paypal.sdk';

type Json = Record<string, unknown>;

/**
 * A stored, verified PayPal event → facts. PayPal signs only the body's CRC-32, so an event that
 * moves money (capture completed, refunded, reversed) or holds/releases it (authorization created,
 * voided) is not taken at its word: the capture, refund or authorization it names is read from
 * PayPal's API and what PayPal answers is applied. A resource PayPal does not know is ignored; PayPal unreachable is a
 * retryable ProviderError (the delivery is retried).
 */
export async function confirmedEventActions(client: PayPalClient, payload: string): Promise<PaymentAction[]> {
  const event = JSON.parse(payload) as Json;
  const resource = event.resource as Json | undefined;
  const id = typeof resource?.id === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(resource.id) ? resource.id : undefined;
  if (!id) return eventActions(event);
  switch (event.event_type) {
    case 'PAYMENT.AUTHORIZATION.CREATED':
    case 'PAYMENT.AUTHORIZATION.VOIDED': {
      const auth = await readOrNothing(client, new sdk.payments.AuthorizationsGetRequest(id), `authorization ${id}`);
      return auth ? [authorizationAction(auth)] : [{ kind: 'ignored', reason: `PayPal has no authorization ${id}; the event was not applied` }];
    }
    case 'PAYMENT.CAPTURE.COMPLETED': {
      const capture = await readOrNothing(client, new sdk.payments.CapturesGetRequest(id), `capture ${id}`);
      return capture ? [captureAction(capture, {})] : [{ kind: 'ignored', reason: `PayPal has no capture ${id}; the event was not applied` }];
    }
    case 'PAYMENT.CAPTURE.REFUNDED':
    case 'PAYMENT.CAPTURE.REVERSED': {
      const refund = await readOrNothing(client, new sdk.payments.RefundsGetRequest(id), `refund ${id}`);
      return refund ? [refundAction(refund)] : [{ kind: 'ignored', reason: `PayPal has no refund ${id}; the event was not applied` }];
    }
    default:
      return eventActions(event);
  }
}

/** GET a PayPal resource; undefined when PayPal answers 404 (it does not know it). */
export async function readOrNothing(client: PayPalClient, request: SdkRequest, what: string): Promise<Json | undefined> {
  try {
    return ((await client.execute<Json>(request)).result ?? {}) as Json;
  } catch (error) {
    if (isSdkHttpError(error) && error.statusCode === 404) return undefined;
    throw toProviderError(error, `to show ${what}`);
  }
}
