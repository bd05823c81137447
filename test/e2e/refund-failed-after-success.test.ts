/**
 * A refund that fails after it succeeded, told by Stripe's own webhook (the sandbox's refundFail
 * card sends `refund.updated`/`charge.refund.updated` with status failed): the order goes back to
 * the status its money says, through the state machine's explicit moves, and the log says why.
 */
import { startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { charge, newOrder, orderOf, refund, waitForStatus } from './stripe.e2e-helpers';

describe('a refund that fails after it succeeded (webhooks, no sync)', () => {
  let ts: TestService;
  beforeAll(async () => {
    ts = await startTestService();
  });
  afterAll(async () => {
    await ts?.close();
  });

  async function refundFailOrder(): Promise<string> {
    const { id, token } = await newOrder(ts);
    expect((await charge(ts, id, token, 'tok_refundFail')).data?.chargeWithToken.order.status).toBe('PAID');
    await webhooksSettled(ts);
    return id;
  }

  it('REFUNDED → PAID when the only refund fails', async () => {
    const id = await refundFailOrder();
    expect((await refund(ts, id)).data?.refundOrder.status).toBe('SUCCEEDED');
    const back = await waitForStatus(ts, id, 'PAID');
    const moves = back.events.filter((e: any) => e.type === 'STATUS_CHANGED').map((e: any) => `${e.fromStatus}>${e.toStatus}`);
    expect(moves.slice(-2)).toEqual(['PAID>REFUNDED', 'REFUNDED>PAID']);
    const last = back.events.filter((e: any) => e.type === 'STATUS_CHANGED').at(-1);
    expect(last.source).toMatch(/^stripe:evt_/);
    expect(last.message).toMatch(/a refund failed after it had succeeded: refunded 0 of/);
    expect(back).toMatchObject({ amountRefunded: 0 });
    expect(back.refunds[0].status).toBe('FAILED');
    expect(back.events.some((e: any) => e.type === 'NEEDS_ATTENTION')).toBe(false);
  });

  it('PARTIALLY_REFUNDED → PAID when its partial refund fails', async () => {
    const id = await refundFailOrder();
    expect((await refund(ts, id, 1000)).data?.refundOrder.status).toBe('SUCCEEDED');
    await webhooksSettled(ts);
    const back = await waitForStatus(ts, id, 'PAID');
    const moves = back.events.filter((e: any) => e.type === 'STATUS_CHANGED').map((e: any) => `${e.fromStatus}>${e.toStatus}`);
    expect(moves.slice(-2)).toEqual(['PAID>PARTIALLY_REFUNDED', 'PARTIALLY_REFUNDED>PAID']);
    expect(back).toMatchObject({ amountRefunded: 0 });
    expect(back.refunds).toEqual([expect.objectContaining({ amount: 1000, status: 'FAILED' })]);
  });
});
