import express, { Router } from 'express';
import type { AppServices } from '../app/services';
import { AppError } from '../domain/errors';
import { PaymentProvider } from '../domain/payment-types';
import { InboxUnavailableError } from '../domain/services/webhook-inbox.appender';
import { WebhookVerificationError } from '../providers/provider-events';
import { recordWebhookDelivery } from '../observability/metrics';

const PROVIDERS: Record<string, PaymentProvider> = { stripe: PaymentProvider.STRIPE, paypal: PaymentProvider.PAYPAL };

/**
 * `POST /webhooks/stripe` and `/webhooks/paypal`: raw body (signatures are over exact bytes), one
 * inbox call. 200 = stored durably (or a duplicate of a stored event), applied by the inbox worker;
 * 400 = bad signature, nothing stored; 503 + Retry-After = nothing could be stored, the provider retries.
 */
export function webhookRoutes(services: AppServices): Router {
  const router = Router();
  router.post('/:provider', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const provider = PROVIDERS[String(req.params.provider)];
    if (!provider) {
      res.status(404).json({ error: `No webhook route for '${String(req.params.provider)}'; use /webhooks/stripe or /webhooks/paypal` });
      return;
    }
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      const result = await services.webhooks.receive(provider, body, req.headers);
      recordWebhookDelivery(provider, result.result);
      res.status(200).json({ received: true, ...result });
    } catch (error) {
      recordWebhookDelivery(provider, error instanceof WebhookVerificationError ? 'rejected' : 'failed');
      if (error instanceof WebhookVerificationError) {
        services.logger.warn({ provider, reason: error.message }, 'webhook rejected');
        res.status(400).json({ error: error.message });
      } else if (error instanceof InboxUnavailableError) {
        services.logger.warn({ provider, reason: error.message }, 'webhook not stored; the provider will retry');
        res.status(503).set('Retry-After', String(error.retryAfterSeconds)).json({ error: 'The event could not be stored; retry later' });
      } else if (error instanceof AppError && error.code === 'BAD_USER_INPUT') {
        res.status(404).json({ error: error.message });
      } else {
        services.logger.error({ provider, err: error }, 'webhook could not be received; the provider will retry');
        res.status(500).json({ error: 'The event could not be received; retry later' });
      }
    }
  });
  return router;
}
