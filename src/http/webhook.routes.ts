import express, { Router } from 'express';
import type { AppServices } from '../graphql/app-services';
import { ProviderNotConfiguredError } from '../domain/errors';
import { PaymentProvider } from '../model/payment-types';
import { InboxUnavailableError } from '../domain/services/webhook-inbox.appender';
import { WebhookVerificationError } from '../domain/providers/provider-events';
import { recordWebhookDelivery } from '../observability/metrics';

export const WEBHOOK_PROVIDERS: Record<string, PaymentProvider> = { stripe: PaymentProvider.STRIPE, paypal: PaymentProvider.PAYPAL };
/** Largest webhook body accepted (providers send a few KB). */
export const WEBHOOK_MAX_BYTES = 1024 * 1024;

/** What a webhook delivery is answered. */
export interface WebhookAnswer {
  status: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
}

/**
 * One inbox call and its answer. 200 = stored durably (or a duplicate of a stored event), applied
 * by the inbox worker; 400 = bad signature, nothing stored; 503 + Retry-After = nothing could be
 * stored, the provider retries.
 */
export async function receiveWebhook(
  services: AppServices,
  provider: PaymentProvider,
  body: Buffer,
  headers: Record<string, string | string[] | undefined>,
): Promise<WebhookAnswer> {
  try {
    const result = await services.webhooks.receive(provider, body, headers);
    recordWebhookDelivery(provider, result.result);
    return { status: 200, body: { received: true, ...result } };
  } catch (error) {
    recordWebhookDelivery(provider, error instanceof WebhookVerificationError ? 'rejected' : 'failed');
    if (error instanceof WebhookVerificationError) {
      services.logger.warn({ provider, reason: error.message }, 'webhook rejected');
      return { status: 400, body: { error: error.message } };
    }
    if (error instanceof InboxUnavailableError) {
      services.logger.warn({ provider, reason: error.message }, 'webhook not stored; the provider will retry');
      return { status: 503, headers: { 'Retry-After': String(error.retryAfterSeconds) }, body: { error: 'The event could not be stored; retry later' } };
    }
    if (error instanceof ProviderNotConfiguredError) return { status: 404, body: { error: error.message } };
    services.logger.error({ provider, err: error }, 'webhook could not be received; the provider will retry');
    return { status: 500, body: { error: 'The event could not be received; retry later' } };
  }
}

/**
 * `POST /webhooks/stripe` and `/webhooks/paypal` through Express: raw body (signatures are over
 * exact bytes), one inbox call. Deliveries with a Content-Length usually take the plain node:http
 * path (webhook-ingest.ts); this route answers the rest (chunked bodies, unknown providers).
 */
export function webhookRoutes(services: AppServices): Router {
  const router = Router();
  router.post('/:provider', express.raw({ type: () => true, limit: WEBHOOK_MAX_BYTES }), async (req, res) => {
    const provider = WEBHOOK_PROVIDERS[String(req.params.provider)];
    if (!provider) {
      res.status(404).json({ error: `No webhook route for '${String(req.params.provider)}'; use /webhooks/stripe or /webhooks/paypal` });
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const answer = await receiveWebhook(services, provider, body, req.headers);
    res.status(answer.status);
    if (answer.headers) res.set(answer.headers);
    res.json(answer.body);
  });
  return router;
}
