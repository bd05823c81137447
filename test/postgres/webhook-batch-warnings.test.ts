import type Stripe from 'stripe';
import { webhooksSettled, type TestService } from '../helpers/service.helpers';
import { checkout, holdWebhooks, newOrder, orderOf, payOnHostedPage, postWebhook, releaseHeldWebhooks, sandboxEvents, sandboxStripe, sign } from '../e2e/stripe.e2e-helpers';
import { startPostgresService, type ScratchDatabase } from './postgres.helpers';

/**
 * A batch of webhook events applied on PostgreSQL reads its orders' facts (orders, payments,
 * refunds, disputes) in one transaction, so on one `pg` connection: the statements must go one
 * after the other, not be queued behind each other in the driver, which `pg` deprecates (and
 * pg@9 refuses). The applier runs inline here, so its warnings are this process's: Node writes them
 * to the process's stderr (jest gives tests a copy of \`process\` whose listeners Node never calls).
 */
describe('PostgreSQL: a webhook batch sends its statements one at a time', () => {
  let ts: TestService & { database: ScratchDatabase };
  let stripe: Stripe;
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);

  beforeAll(async () => {
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: any[]) => {
      stderr += String(chunk);
      return write(chunk, ...rest);
    }) as typeof process.stderr.write;
    ts = await startPostgresService('batch-warnings', { SANDBOX: 'on', WEBHOOK_APPLIER: 'inline' });
    stripe = sandboxStripe(ts);
    await holdWebhooks(ts, true);
  });

  afterAll(async () => {
    process.stderr.write = write;
    await releaseHeldWebhooks(ts);
    await ts?.close();
  });

  it('applies a batch of paid checkouts without the driver queueing a query behind another', async () => {
    const paid: { id: string; sessionId: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const { id, token } = await newOrder(ts);
      const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
      expect((await payOnHostedPage(session.url)).status).toBe(303);
      paid.push({ id, sessionId: session.sessionId });
    }
    const payloads = (await sandboxEvents(ts)).map((e) => JSON.stringify(e.body));
    const answers = await Promise.all(payloads.map((payload) => postWebhook(ts, payload, { 'stripe-signature': sign(stripe, payload) })));
    expect(answers.map((r) => r.status)).toEqual(payloads.map(() => 200));
    await webhooksSettled(ts);
    for (const { id } of paid) expect((await orderOf(ts, id)).status).toBe('PAID');
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(stderr).not.toMatch(/already executing a query/);
  }, 60_000);
});
