import type { Worker } from 'node:worker_threads';
import { createLogger } from '../../src/logging/logger';
import { sampleValue, scrape } from '../helpers/metrics.helpers';
import { captureLogs, eventually, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { checkout, newOrder, payOnHostedPage, rows } from './stripe.e2e-helpers';

/**
 * The inbox worker on its own thread (WEBHOOK_APPLIER=thread; `auto` on PostgreSQL), here on a SQLite
 * file whose write connection the two threads take turns at: its log lines and metrics reach the
 * service's, and a thread that dies is started again and applies what arrived meanwhile, once.
 */
describe('webhook inbox worker on its own thread', () => {
  const logs = captureLogs();
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on', WEBHOOK_APPLIER: 'thread' }, {}, { logger: createLogger('info', logs.stream) });
  });

  afterAll(async () => {
    await ts.close();
  });

  /** The running thread (fault injection: the test ends it as a crash would). */
  const thread = (): Worker | undefined => (ts.service.services.webhooks as unknown as { runner: { worker?: Worker } }).runner.worker;

  async function payNewOrders(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const { id, token } = await newOrder(ts);
      expect((await payOnHostedPage((await checkout(ts, id, token)).data!.createCheckoutSession.url)).status).toBe(303);
      ids.push(id);
    }
    return ids;
  }

  async function paidTransitions(ids: string[]): Promise<number[]> {
    const counts = [];
    for (const id of ids) counts.push(Number((await rows(ts, `select count(*) as n from order_events where order_id = ? and to_status = 'PAID'`, [id]))[0].n));
    return counts;
  }

  it('applies on a thread of its own, whose log lines and metrics reach the service', async () => {
    expect(thread()?.threadId).toBeGreaterThan(0);
    const appliedBefore = sampleValue(await scrape(ts.url, ts.adminKey), 'webhook_events_applied_total', { provider: 'STRIPE', status: 'APPLIED' });
    const ids = await payNewOrders(2);
    await webhooksSettled(ts);
    expect(await paidTransitions(ids)).toEqual([1, 1]);
    expect(sampleValue(await scrape(ts.url, ts.adminKey), 'webhook_events_applied_total', { provider: 'STRIPE', status: 'APPLIED' })).toBeGreaterThanOrEqual(appliedBefore + 2);
    expect(logs.lines.some((line) => /webhook inbox worker applying on its own thread/.test(line))).toBe(true);
  });

  it('a thread that dies is started again, and applies every event stored meanwhile once', async () => {
    // Counters are process-wide (other services in this jest worker add to them): compare with a first scrape.
    const restartsBefore = sampleValue(await scrape(ts.url, ts.adminKey), 'webhook_applier_thread_restarts_total');
    const first = thread()!;
    await first.terminate();
    // Delivered while no thread applies: stored and answered, applied once the new thread runs.
    const ids = await payNewOrders(3);
    await eventually(async () => thread() !== undefined && thread() !== first, 'a new applier thread');
    await webhooksSettled(ts);
    expect(await paidTransitions(ids)).toEqual([1, 1, 1]);
    expect(logs.lines.some((line) => /webhook applier thread exited; starting it again/.test(line))).toBe(true);
    expect(sampleValue(await scrape(ts.url, ts.adminKey), 'webhook_applier_thread_restarts_total')).toBe(restartsBefore + 1);
  });
});
