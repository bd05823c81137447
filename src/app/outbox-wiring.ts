import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { AbstractSqlConnection, Knex } from '@mikro-orm/knex';
import type { DbDialect } from '../db/db-dates';
import type { StatusChangeSink } from '../model/status-change';
import { publishStatusChanges, type AppPubSub } from '../graphql/pubsub';
import type { Logger } from '../logging/logger';
import { DEFAULT_OUTBOX_OPTIONS, OutboxDispatcher, type OutboxConsumers, type OutboxDispatcherOptions } from '../outbox/outbox.dispatcher';
import { OutboxStore } from '../outbox/outbox.store';

/**
 * The outbox dispatcher of this instance and the sink the services tell of each commit: a commit
 * only wakes the dispatcher, which publishes from the outbox (so a crash after the commit loses
 * nothing). `more` adds consumers such as the outbound webhook queue.
 */
export function createOutbox(
  em: EntityManager,
  dialect: DbDialect,
  pubSub: AppPubSub,
  logger: Logger,
  more: Omit<OutboxConsumers, 'publish'> = {},
  options: Partial<OutboxDispatcherOptions> = {},
  /** SQLite: read connections beside the writer (the read pool). */
  readKnex?: () => Knex,
): { dispatcher: OutboxDispatcher; sink: StatusChangeSink; store: OutboxStore } {
  const settings = { ...DEFAULT_OUTBOX_OPTIONS, ...options };
  const store = new OutboxStore(() => (em.getConnection() as AbstractSqlConnection).getKnex(), dialect, `outbox-${randomUUID()}`, settings.leaseMs, readKnex);
  const dispatcher = new OutboxDispatcher(store, { publish: (changes) => publishStatusChanges(pubSub, changes), ...more }, logger.child({ component: 'outbox' }), settings);
  return { dispatcher, sink: { publish: () => dispatcher.wake() }, store };
}
