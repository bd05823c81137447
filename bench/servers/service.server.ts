import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

let snapshotTaken = false;
import type { EntityManager } from '@mikro-orm/core';
import { loadConfig } from '../../src/config/config';
import { OrderEntity, PaymentEntity } from '../../src/db/entities';
import { OrderStatus } from '../../src/model/order-status';
import { PaymentMethod, PaymentProvider } from '../../src/model/payment-types';
import { startService } from '../../src/app/start-service';
import { createLogger } from '../../src/logging/logger';

/** One pending Checkout attempt of a real order, ready to be completed by a webhook. */
export interface Fixture {
  orderId: string;
  paymentId: string;
  sessionId: string;
  amount: number;
}

export type ServiceRequest = { cmd: 'fixtures'; count: number; tag: string } | { cmd: 'stop' } | { cmd: 'profile'; file?: string } | { cmd: 'memory' } | { cmd: 'applier'; run: boolean };

/**
 * This service as the benchmark runs it: `node dist-bench/bench/servers/service.server.js` with
 * the real start-up (startService) on BENCH_DATABASE_URL, Stripe in real mode with the benchmark's
 * webhook secret. On request it creates real orders with an open Checkout attempt each (fixtures,
 * written through the ORM like createCheckoutSession would), tagged by customer email.
 */
async function main(): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: process.env.BENCH_DATABASE_URL,
    ADMIN_API_KEY: process.env.BENCH_ADMIN_KEY,
    STRIPE_SECRET_KEY: 'sk_test_bench_service',
    STRIPE_WEBHOOK_SECRET: process.env.BENCH_WEBHOOK_SECRET,
    STRIPE_API_BASE: 'http://127.0.0.1:9',
    SANDBOX: 'off',
    STOREFRONT: 'off',
    RATE_LIMIT_PER_MINUTE: '0',
    // Every bench subscriber connects from 127.0.0.1: the per-client cap must not refuse them.
    WS_MAX_CONNECTIONS_PER_CLIENT: '5000',
    // `inline` runs the inbox worker on the serving thread (the default is its own thread), for side-by-side runs.
    WEBHOOK_APPLIER: process.env.BENCH_WEBHOOK_APPLIER,
  });
  const service = await startService(config, { logger: createLogger(process.env.BENCH_LOG_LEVEL ?? 'error') });
  process.on('message', (message: ServiceRequest) => {
    if (message.cmd === 'stop') {
      void service.close().then(() => process.exit(0));
      return;
    }
    if (message.cmd === 'memory') {
      if (process.env.BENCH_HEAP_SNAPSHOT && !snapshotTaken && process.memoryUsage().heapUsed > Number(process.env.BENCH_HEAP_SNAPSHOT) * 1048576) {
        snapshotTaken = true;
        writeHeapSnapshot(path.resolve('service.heapsnapshot'));
      }
      process.send!({ memory: process.memoryUsage() });
      return;
    }
    if (message.cmd === 'applier') {
      // The probes pause the inbox worker to measure ingest or applying alone.
      void (message.run ? service.services.webhooks.start() : service.services.webhooks.stop()).then(() => process.send!({ applier: message.run }));
      return;
    }
    if (message.cmd === 'profile') {
      void profiler.toggle(message.file).then(() => process.send!({ profiled: true }));
      return;
    }
    void createFixtures(service.orm.em, message.count, message.tag).then((fixtures) => process.send!({ fixtures }));
  });
  process.send!({ port: service.port });
}

/** A CPU profile of one phase only (`{ cmd: 'profile' }` starts it; `{ cmd: 'profile', file }` writes it there). */
const profiler = {
  session: undefined as Session | undefined,
  async toggle(file?: string): Promise<void> {
    if (!this.session) {
      this.session = new Session();
      this.session.connect();
      await this.session.post('Profiler.enable');
      await this.session.post('Profiler.start');
      return;
    }
    const { profile } = await this.session.post('Profiler.stop');
    if (file) writeFileSync(file, JSON.stringify(profile));
    this.session.disconnect();
    this.session = undefined;
  },
};

async function createFixtures(root: EntityManager, count: number, tag: string): Promise<Fixture[]> {
  const fixtures: Fixture[] = [];
  for (let start = 0; start < count; start += 1000) {
    const em = root.fork();
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const order = em.create(OrderEntity, {
        status: OrderStatus.PENDING,
        currency: 'USD',
        amount: 2400,
        customerEmail: `${tag}@bench.invalid`,
        accessTokenHash: randomBytes(32).toString('hex'),
      });
      const payment = em.create(PaymentEntity, {
        order,
        provider: PaymentProvider.STRIPE,
        method: PaymentMethod.STRIPE_CHECKOUT,
        amount: 2400,
        currency: 'USD',
        providerSessionId: `cs_test_${randomBytes(12).toString('hex')}`,
      });
      em.persist([order, payment]);
      fixtures.push({ orderId: order.id, paymentId: payment.id, sessionId: payment.providerSessionId!, amount: 2400 });
    }
    await em.flush();
  }
  return fixtures;
}

main().catch((error: unknown) => {
  console.error('bench service failed to start:', error);
  process.exit(1);
});
