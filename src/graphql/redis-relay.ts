import { randomUUID } from 'node:crypto';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis, type RedisOptions } from 'ioredis';
import type { RedisConfig } from '../config/config';
import type { Logger } from '../logging/logger';

/** Every channel this service uses starts with this (Redis pub/sub channels are global to a server, whatever the db number). */
const CHANNEL_PREFIX = 'payments-api:';

/** The Redis channel that carries a pub/sub event type such as `ORDER_STATUS_CHANGED:<orderId>`. */
export function redisChannel(eventType: string): string {
  return `${CHANNEL_PREFIX}${eventType}`;
}

/**
 * Carries pub/sub events between API instances. Each instance delivers its own events to its own
 * subscribers in process and relays them to the others, so a Redis outage costs cross-instance
 * delivery only; `listen` skips the echo of events this instance published.
 */
export interface RedisRelay {
  /** Forwards events of `eventType` published by other instances to `deliver`, until `unlisten`. */
  listen(eventType: string, deliver: (detail: unknown) => void): void;
  unlisten(eventType: string): void;
  /** Fire and forget: a failure is logged, never thrown (the change it reports is already committed). */
  publish(eventType: string, detail: unknown): void;
  close(): Promise<void>;
}

interface Envelope {
  origin: string;
  detail: unknown;
}

/** How long start-up waits for Redis before serving anyway (ioredis keeps reconnecting behind it). */
const STARTUP_WAIT_MS = 3000;

/**
 * Opens the publisher and subscriber connections (a subscribed Redis connection can do nothing
 * else) and waits until both are ready or have failed once. An unreachable Redis does not stop
 * the start: the problem is logged, and ioredis reconnects and resubscribes by itself.
 */
export async function connectRedisRelay(config: RedisConfig, logger: Logger): Promise<RedisRelay> {
  const log = logger.child({ redis: config.displayUrl });
  const origin = randomUUID();
  let closing = false;
  const reportFailure = (operation: string) => (error: unknown) => {
    if (!closing) log.warn({ err: errorMessage(error), operation }, 'Redis command failed; other API instances miss this order status change');
  };
  // The publisher fails fast while disconnected: a status change queued through an outage would reach subscribers late and out of order.
  const publisher = watch(new Redis(config.url, { ...COMMON_OPTIONS, enableOfflineQueue: false, maxRetriesPerRequest: 1 }), 'publisher', log, () => closing);
  // The subscriber queues SUBSCRIBEs until it is connected, and never gives up on them.
  const subscriber = watch(new Redis(config.url, { ...COMMON_OPTIONS, maxRetriesPerRequest: null }), 'subscriber', log, () => closing);
  const target = createRedisEventTarget<CustomEvent<Envelope | undefined>>({
    publishClient: settled(publisher, reportFailure),
    subscribeClient: settled(subscriber, reportFailure),
    serializer: { stringify: stringifyWithDates, parse: (message) => parseEnvelope(message, log) },
  });
  const listeners = new Map<string, (event: CustomEvent<Envelope | undefined>) => void>();
  await Promise.all([firstOutcome(publisher), firstOutcome(subscriber)]);

  return {
    listen(eventType, deliver) {
      if (listeners.has(eventType)) return;
      const listener = (event: CustomEvent<Envelope | undefined>) => {
        if (event.detail && event.detail.origin !== origin) deliver(event.detail.detail);
      };
      listeners.set(eventType, listener);
      target.addEventListener(redisChannel(eventType), listener);
    },
    unlisten(eventType) {
      const listener = listeners.get(eventType);
      if (!listener) return;
      listeners.delete(eventType);
      target.removeEventListener(redisChannel(eventType), listener);
    },
    publish(eventType, detail) {
      target.dispatchEvent(new CustomEvent(redisChannel(eventType), { detail: { origin, detail } }));
    },
    async close() {
      closing = true;
      await Promise.all([shutDown(publisher), shutDown(subscriber)]);
    },
  };
}

const COMMON_OPTIONS: RedisOptions = {
  connectionName: 'payments-api',
  // Reconnect for ever, backing off to one attempt every 2 s.
  retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  // disconnect() while reconnecting arms a timer for a socket that is already gone; the 2 s default held the process open after close().
  disconnectTimeout: 200,
};

/** Logs an outage once (not every reconnect attempt) and the recovery after it. */
function watch(client: Redis, role: string, log: Logger, closing: () => boolean): Redis {
  let down = false;
  client.on('error', (error: unknown) => {
    if (down || closing()) return;
    down = true;
    log.warn(
      { err: errorMessage(error), role },
      'Redis is unreachable; this instance keeps serving, and its orderStatusChanged subscribers see only changes made on this instance until Redis is back (retrying)',
    );
  });
  client.on('ready', () => {
    if (down) log.info({ role }, 'Redis is reachable again; order status changes are shared between instances');
    down = false;
  });
  return client;
}

/**
 * createRedisEventTarget calls publish/subscribe/unsubscribe without handling their promises;
 * a rejection there (Redis down, connection closed) would be unhandled and end the process.
 * This view of the client settles them, reporting failures instead.
 */
function settled(client: Redis, report: (operation: string) => (error: unknown) => void): Redis {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property === 'publish' || property === 'subscribe' || property === 'unsubscribe') {
        return (...args: unknown[]) => (value.apply(target, args) as Promise<unknown>).catch(report(property));
      }
      return value.bind(target);
    },
  });
}

/** Resolves when the client is ready or has failed once, whichever comes first, or after the start-up wait. */
function firstOutcome(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      client.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, STARTUP_WAIT_MS);
    client.once('ready', done);
    client.once('error', done);
  });
}

/** QUIT lets in-flight replies arrive; a client that is not connected is just dropped. */
async function shutDown(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    try {
      await client.quit();
      return;
    } catch {
      // Falls through to disconnect: the connection went away while quitting.
    }
  }
  client.disconnect();
}

/** JSON that keeps Dates: `{ "$date": "<ISO>" }` in, Date out. */
function stringifyWithDates(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, encoded: unknown) {
    return this[key] instanceof Date ? { $date: encoded } : encoded;
  });
}

function reviveDates(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && Object.keys(value).length === 1 && typeof (value as { $date?: unknown }).$date === 'string') {
    return new Date((value as { $date: string }).$date);
  }
  return value;
}

/**
 * Anything on our channels that is not one of our envelopes is dropped with a warning: throwing
 * here would throw inside ioredis's socket handler and take the process down.
 */
function parseEnvelope(message: string, log: Logger): Envelope | undefined {
  try {
    const parsed: unknown = JSON.parse(message, reviveDates);
    if (parsed && typeof parsed === 'object' && typeof (parsed as Envelope).origin === 'string' && 'detail' in parsed) return parsed as Envelope;
  } catch {
    // Reported below, like any other foreign message.
  }
  log.warn({ bytes: message.length }, 'ignored a message on a Redis channel of this service that it did not publish');
  return undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
