import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection } from '@mikro-orm/knex';
import type { AppConfig } from '../config/config';
import type { OrderReader } from '../db/order-reader';
import type { Logger } from '../logging/logger';
import { DeliveryWorker } from '../outbound-webhooks/delivery.worker';
import { systemResolve, type Resolve } from '../outbound-webhooks/http-sender';
import { OutboundStore } from '../outbound-webhooks/outbound.store';
import { OutboundWebhooksService } from '../outbound-webhooks/outbound-webhooks.service';

/** Outbound webhooks of this instance: the admin service and its delivery worker (started with the service). */
export function createOutboundWebhooks(config: AppConfig, em: EntityManager, reader: OrderReader, logger: Logger, resolve: Resolve = systemResolve): OutboundWebhooksService {
  const store = new OutboundStore(() => (em.getConnection() as AbstractSqlConnection).getKnex(), config.database.kind, `outbound-${randomUUID()}`);
  const worker = new DeliveryWorker(store, config.outboundWebhooks, resolve, logger.child({ component: 'outbound-webhooks' }));
  return new OutboundWebhooksService(store, worker, config.outboundWebhooks, (ids) => reader.load(ids));
}
