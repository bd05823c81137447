import { eventually, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { amountsOf, authorizedPayPalOrder, whileLapseUnannounced } from './paypal-manual-capture.kit';
import { startSyncedService } from './reconciliation.kit';

/** The scheduled status sync asks about AUTHORIZED attempts too: a PayPal authorization that lapsed unannounced turns the order EXPIRED. */
describe('reconciliation of held PayPal authorizations, on schedule', () => {
  let ts: TestService;
  beforeAll(async () => { ({ ts } = await startSyncedService({ SANDBOX: 'auto' })); });
  afterAll(async () => { await ts?.close(); });

  it('a lapse whose PAYMENT.AUTHORIZATION.VOIDED was dropped is found by the sync: EXPIRED, once', async () => {
    const order = await authorizedPayPalOrder(ts);
    await whileLapseUnannounced(ts, order, async () => {
      const expired = await eventually(async () => {
        const o = await amountsOf(ts, order.id);
        return o.status === 'EXPIRED' ? o : undefined;
      }, 'the sync to find the lapse');
      const moves = expired.events.filter((e: { type: string; toStatus: string }) => e.type === 'STATUS_CHANGED' && e.toStatus === 'EXPIRED');
      expect(moves.map((e: { source: string }) => e.source)).toEqual([`reconcile:${order.paypal.paypalOrderId}`]);
    });
    await webhooksSettled(ts);
    expect((await amountsOf(ts, order.id)).status).toBe('EXPIRED');
  });
});
