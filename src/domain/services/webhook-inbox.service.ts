import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { WebhookEventEntity } from '../../db/entities';
import type { ProviderRegistry } from '../../providers/provider-registry';
import type { PaymentProvider } from '../payment-types';
import { inOrderTransaction } from './order-transaction';
import type { PaymentReconciler } from './payment-reconciler';
import type { StatusChangeSink } from './status-change';

export type InboxResult = { result: 'applied' | 'duplicate'; eventId: string; outcome: string };

/**
 * The provider-neutral webhook inbox. An event is verified first (the adapter throws
 * WebhookVerificationError → 400), then stored and applied in ONE transaction: the unique
 * (provider, eventId) row makes a duplicate fail before anything is applied, and a failure
 * while applying rolls the row back too, so the provider's retry applies it exactly once.
 */
export class WebhookInboxService {
  constructor(
    private readonly em: EntityManager,
    private readonly sink: StatusChangeSink,
    private readonly providers: ProviderRegistry,
    private readonly reconciler: PaymentReconciler,
  ) {}

  async receive(provider: PaymentProvider, rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<InboxResult> {
    const webhook = await this.providers.get(provider).verifyWebhook(rawBody, headers);
    const source = `${provider.toLowerCase()}:${webhook.eventId}`;
    try {
      return await inOrderTransaction(this.em, this.sink, async (uow) => {
        const id = randomUUID();
        await uow.em.insert(WebhookEventEntity, {
          id,
          provider,
          eventId: webhook.eventId,
          type: webhook.type,
          payload: rawBody.toString('utf8'),
          outcome: 'RECEIVED',
          receivedAt: new Date(),
        });
        const outcomes: string[] = [];
        let orderId: string | undefined;
        for (const action of webhook.actions) {
          const applied = await this.reconciler.apply(uow, provider, action, source);
          outcomes.push(applied.outcome);
          orderId ??= applied.orderId;
        }
        const outcome = (outcomes.length ? [...new Set(outcomes)].join('; ') : 'IGNORED: event type not handled').slice(0, 255);
        await uow.em.nativeUpdate(WebhookEventEntity, { id }, { outcome, orderId: orderId ?? null });
        return { result: 'applied' as const, eventId: webhook.eventId, outcome };
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return { result: 'duplicate', eventId: webhook.eventId, outcome: 'DUPLICATE' };
      throw error;
    }
  }
}
