/**
 * Two instances on one PostgreSQL database, both running the provider status sync against the
 * same sandbox: the lease lets one round run at a time, nothing is applied twice, and a round
 * whose instance died (its lease left behind) is taken over once the lease expires.
 */
import { createLogger } from '../../src/logging/logger';
import { SANDBOX_DEFAULTS } from '../../src/sandbox/core/sandbox.defaults';
import { checkout, holdWebhooks, newOrder, orderOf, payOnHostedPage, releaseHeldWebhooks, waitForStatus } from '../e2e/stripe.e2e-helpers';
import { transitionsTo } from '../e2e/reconciliation.kit';
import { captureLogs, eventually, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { createScratchDatabase, type ScratchDatabase } from './postgres.helpers';

const SYNC = { RECONCILE_INTERVAL_SECONDS: '0.2', RECONCILE_AFTER_SECONDS: '0' };

/** [start, end] of every round an instance logged. */
function rounds(lines: string[]): [number, number][] {
  return lines.filter((l) => l.includes('reconcile round:')).map((l) => JSON.parse(l) as { time: number; reconcile: { startedAt: number } }).map((r) => [r.reconcile.startedAt, r.time]);
}

describe('PostgreSQL: the provider status sync across instances', () => {
  let database: ScratchDatabase;
  let a: TestService;
  let b: TestService;
  const logsA = captureLogs();
  const logsB = captureLogs();
  const execute = (sql: string, params: unknown[] = []) => a.service.orm.em.getConnection().execute(sql, params);

  beforeAll(async () => {
    database = await createScratchDatabase('reconcile');
    a = await startTestService({ ...SYNC, SANDBOX: 'on', DATABASE_URL: database.url }, {}, { logger: createLogger('info', logsA.stream) });
    // B asks A's sandbox, as a second instance asks the same Stripe account.
    b = await startTestService(
      { ...SYNC, SANDBOX: 'off', DATABASE_URL: database.url, STRIPE_SECRET_KEY: SANDBOX_DEFAULTS.stripeSecretKey, STRIPE_WEBHOOK_SECRET: SANDBOX_DEFAULTS.stripeWebhookSecret, STRIPE_API_BASE: a.service.sandbox!.url },
      {},
      { logger: createLogger('info', logsB.stream) },
    );
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await database?.drop();
  });

  it('both instances sync 10 held payments: rounds never overlap, and each order is PAID exactly once', async () => {
    await holdWebhooks(a, true);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { id, token } = await newOrder(a);
      const session = (await checkout(a, id, token)).data!.createCheckoutSession;
      expect((await payOnHostedPage(session.url)).status).toBe(303);
      ids.push(id);
    }
    for (const id of ids) {
      const paid = await waitForStatus(a, id, 'PAID', 15_000);
      expect(transitionsTo(paid, 'PAID')).toHaveLength(1);
      expect(transitionsTo(paid, 'PAID')[0].source).toMatch(/^reconcile:cs_/);
    }
    // Both take rounds (each every 0.2 s, whichever gets the lease): A may have synced all ten
    // before B's first turn, so wait for B's, as for A's.
    await eventually(async () => rounds(logsA.lines).length > 0 && rounds(logsB.lines).length > 0, 'both instances to run a round', 10_000);
    const all = [...rounds(logsA.lines), ...rounds(logsB.lines)].sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < all.length; i++) expect(all[i][0]).toBeGreaterThanOrEqual(all[i - 1][1]);
    await releaseHeldWebhooks(a);
    await webhooksSettled(a);
    for (const id of ids) expect(transitionsTo(await orderOf(a, id), 'PAID')).toHaveLength(1);
  }, 60_000);

  it('a lease left by an instance that died holds rounds off until it expires, then the round is taken over', async () => {
    await holdWebhooks(a, true);
    await execute(`update reconcile_leases set holder = 'dead-instance', expires_at = ? where name = 'sync'`, [Date.now() + 1500]);
    const { id, token } = await newOrder(a);
    const session = (await checkout(a, id, token)).data!.createCheckoutSession;
    expect((await payOnHostedPage(session.url)).status).toBe(303);
    await new Promise((r) => setTimeout(r, 700));
    expect((await orderOf(a, id)).status).toBe('PENDING');
    const paid = await waitForStatus(a, id, 'PAID', 10_000);
    expect(transitionsTo(paid, 'PAID')).toHaveLength(1);
    await releaseHeldWebhooks(a);
    await webhooksSettled(a);
  }, 30_000);
});
