/**
 * The provider status sync against the sandbox's Stripe, over real HTTP: webhooks are held (never
 * delivered) so that only the sync can tell the service what happened, then released to show that
 * the late webhook changes nothing.
 */
import { control, postForm } from '../helpers/sandbox.helpers';
import { webhooksSettled, type TestService } from '../helpers/service.helpers';
import { paidWhileHeld } from '../helpers/held-webhooks.helpers';
import { charge, checkout, holdWebhooks, newOrder, orderOf, payOnHostedPage, refund, releaseHeldWebhooks, sandboxStripe, waitForStatus } from './stripe.e2e-helpers';
import { addFault, clearFaults, startSyncedService, transitionsTo } from './reconciliation.kit';

describe('reconciliation with Stripe (webhooks held)', () => {
  let ts: TestService;
  let logs: Awaited<ReturnType<typeof startSyncedService>>['logs'];

  beforeAll(async () => {
    ({ ts, logs } = await startSyncedService());
  });
  afterAll(async () => {
    await ts?.close();
  });
  afterEach(async () => {
    await clearFaults(ts);
    await releaseHeldWebhooks(ts);
    await webhooksSettled(ts);
  });

  async function paidOrder(): Promise<{ id: string; order: Record<string, any> }> {
    const { id, token } = await newOrder(ts);
    const res = await charge(ts, id, token, 'tok_visa');
    expect(res.data?.chargeWithToken.order.status).toBe('PAID');
    await webhooksSettled(ts);
    return { id, order: await orderOf(ts, id) };
  }

  it('a Checkout paid while its webhook is held turns PAID from the sync, once; the late webhook changes nothing', async () => {
    await holdWebhooks(ts, true);
    const { id, sessionId } = await paidWhileHeld(ts);
    const paid = await waitForStatus(ts, id, 'PAID');
    const moves = transitionsTo(paid, 'PAID');
    expect(moves).toHaveLength(1);
    expect(moves[0].source).toBe(`reconcile:${sessionId}`);
    expect(paid.payments[0].providerChargeId).toMatch(/^ch_/);

    await releaseHeldWebhooks(ts);
    await webhooksSettled(ts);
    const after = await orderOf(ts, id);
    expect(after.status).toBe('PAID');
    expect(transitionsTo(after, 'PAID')).toHaveLength(1);
  });

  it('a 3-D Secure card charge completed while webhooks are held turns PAID from the sync', async () => {
    const { id, token } = await newOrder(ts);
    const started = (await charge(ts, id, token, 'tok_threeDSecure2Required')).data!.chargeWithToken;
    expect(started.requiresAction).toBe(true);
    await webhooksSettled(ts);
    await holdWebhooks(ts, true);
    expect((await postForm(started.nextActionUrl, { action: 'complete' })).status).toBeLessThan(400);
    const paid = await waitForStatus(ts, id, 'PAID');
    const moves = transitionsTo(paid, 'PAID');
    expect(moves).toHaveLength(1);
    expect(moves[0].source).toMatch(/^reconcile:pi_/);
  });

  it('an abandoned Checkout Session becomes EXPIRED only once Stripe says it expired', async () => {
    await holdWebhooks(ts, true);
    const { id, token } = await newOrder(ts);
    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    // Several rounds ask about the open session: still open at Stripe, so still PENDING with us.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await orderOf(ts, id)).status).toBe('PENDING');
    expect((await control(ts.service.sandbox!, 'POST', `/stripe/checkout/sessions/${session.sessionId}/expire`, {})).status).toBe(200);
    const expired = await waitForStatus(ts, id, 'EXPIRED');
    expect(transitionsTo(expired, 'EXPIRED')[0].source).toBe(`reconcile:${session.sessionId}`);
  });

  it('a refund whose answer was lost becomes SUCCEEDED from the sync', async () => {
    const { id } = await paidOrder();
    await holdWebhooks(ts, true);
    // Every try of the refund call (the SDK's and its retries) is carried out but its answer withheld.
    await addFault(ts, { provider: 'stripe', match: 'POST /v1/refunds', kind: 'timeout', count: 3 });
    const res = await refund(ts, id, 500);
    expect(res.errors?.[0]?.extensions?.code ?? res.data?.refundOrder?.status).toBeDefined();
    const order = await waitForStatus(ts, id, 'PARTIALLY_REFUNDED');
    expect(order.refunds).toEqual([expect.objectContaining({ amount: 500, status: 'SUCCEEDED', providerRefundId: expect.stringMatching(/^re_/) })]);
    expect(transitionsTo(order, 'PARTIALLY_REFUNDED')[0].source).toMatch(/^reconcile:re_/);
  });

  it('a refund made at Stripe directly (not through us) is imported and the order is PARTIALLY_REFUNDED', async () => {
    const { id, order } = await paidOrder();
    await holdWebhooks(ts, true);
    const made = await sandboxStripe(ts).refunds.create({ payment_intent: order.payments[0].providerPaymentId, amount: 700 });
    const after = await waitForStatus(ts, id, 'PARTIALLY_REFUNDED');
    expect(after.amountRefunded).toBe(700);
    expect(after.refunds).toEqual([expect.objectContaining({ amount: 700, status: 'SUCCEEDED', providerRefundId: made.id, reason: 'made at the provider' })]);
    expect(transitionsTo(after, 'PARTIALLY_REFUNDED')[0].source).toBe(`reconcile:${made.id}`);
    expect(after.events.some((e: any) => e.type === 'REFUND_RECONCILED' && e.message.includes(made.id))).toBe(true);
  });

  it('a refund that fails after it succeeded (refundFail card) takes a REFUNDED order back to PAID, saying why', async () => {
    const { id, token } = await newOrder(ts);
    expect((await charge(ts, id, token, 'tok_refundFail')).data?.chargeWithToken.order.status).toBe('PAID');
    await webhooksSettled(ts);
    await holdWebhooks(ts, true);
    expect((await refund(ts, id)).data?.refundOrder.status).toBe('SUCCEEDED');
    await waitForStatus(ts, id, 'REFUNDED');
    const back = await waitForStatus(ts, id, 'PAID');
    const move = back.events.filter((e: any) => e.type === 'STATUS_CHANGED').at(-1);
    expect(move).toMatchObject({ fromStatus: 'REFUNDED', toStatus: 'PAID', source: expect.stringMatching(/^reconcile:re_/) });
    expect(back.refunds[0].status).toBe('FAILED');
    expect(back.events.some((e: any) => e.type === 'REFUND_RECONCILED' && /SUCCEEDED → FAILED/.test(e.message))).toBe(true);
    expect(back.amountRefunded).toBe(0);
  });

  it('Stripe down (5xx on every call): the round stops early with one log line, nothing crashes, the next round after recovery applies the payment', async () => {
    await holdWebhooks(ts, true);
    const { id, sessionId } = await paidWhileHeld(ts);
    const before = logs.lines.length;
    await addFault(ts, { provider: 'stripe', kind: 'status', status: 503, count: 10_000 });
    const faultAt = Date.now();
    await new Promise((r) => setTimeout(r, 2500));
    const stops = logs.lines.slice(before).filter((l) => l.includes('reconcile round stopped early'));
    expect(stops.length).toBeGreaterThanOrEqual(1);
    // One line per round, never one per call; a round that began once Stripe was down made one call and stopped.
    const rounds = logs.lines.slice(before).filter((l) => l.includes('reconcile round:')).map((l) => JSON.parse(l).reconcile);
    expect(stops.length).toBeLessThanOrEqual(rounds.length);
    const downRounds = rounds.filter((r) => r.startedAt >= faultAt);
    expect(downRounds.length).toBeGreaterThanOrEqual(1);
    expect(downRounds.every((r) => r.calls === 1 && r.checked === 0 && /STRIPE is unavailable/.test(r.stoppedEarly))).toBe(true);
    expect((await orderOf(ts, id)).status).toBe('PENDING');
    await clearFaults(ts);
    const paid = await waitForStatus(ts, id, 'PAID');
    expect(transitionsTo(paid, 'PAID')[0].source).toBe(`reconcile:${sessionId}`);
  });

  it('a rate limit (429 with Retry-After) stops the round and no round asks again before the time Stripe gave', async () => {
    await holdWebhooks(ts, true);
    const { id, token } = await newOrder(ts);
    const before = logs.lines.length;
    await addFault(ts, { provider: 'stripe', match: 'GET /v1/checkout/sessions/*', kind: 'status', status: 429, retryAfter: 2, count: 1 });
    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    expect((await payOnHostedPage(session.url)).status).toBe(303);
    const paid = await waitForStatus(ts, id, 'PAID', 10_000);
    const stop = logs.lines.slice(before).map((l) => JSON.parse(l)).find((l) => String(l.msg).includes('reconcile round stopped early: STRIPE is rate limiting us'));
    expect(stop).toBeDefined();
    const paidAt = Date.parse(transitionsTo(paid, 'PAID')[0].at);
    expect(paidAt - stop.time).toBeGreaterThanOrEqual(1900);
  });
});
