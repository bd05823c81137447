import { control } from '../helpers/sandbox.helpers';
import { webhooksSettled, type TestService } from '../helpers/service.helpers';
import { coreControl, paypalControl, sandboxEvents, startPayPalService } from './paypal.kit';
import { amountsOf, authorizationsOf, authorizedPayPalOrder, capturePayment, voidPayment } from './paypal-manual-capture.kit';

/**
 * PayPal's events for an authorization and its capture, void or lapse, held by the sandbox and
 * then delivered in every order: whatever the order, each flow ends where its facts say.
 */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('PayPal manual capture: every delivery order of the events converges', () => {
  let ts: TestService;
  beforeAll(async () => { ts = await startPayPalService(); });
  afterAll(async () => { await ts.close(); });

  const hold = (on: boolean) => coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: on });

  /** The ids of one PayPal order's events of these types, in that order. */
  async function eventIds(paypalOrderId: string, types: string[]): Promise<string[]> {
    const mine = (await sandboxEvents(ts)).filter((e) => {
      const resource = JSON.parse(e.body).resource;
      return resource.id === paypalOrderId || resource.supplementary_data?.related_ids?.order_id === paypalOrderId;
    });
    return types.map((type) => {
      const found = mine.find((e) => e.eventType === type);
      if (!found) throw new Error(`no ${type} for ${paypalOrderId}`);
      return found.id;
    });
  }

  /** Runs `flow` once per permutation of its events while webhooks are held, then delivers them all in those orders. */
  async function everyOrder(types: string[], flow: () => Promise<{ id: string; paypalOrderId: string }>): Promise<string[]> {
    await hold(true);
    const flows: { id: string; order: string[] }[] = [];
    try {
      for (const permutation of permutations(types.map((_, i) => i))) {
        const { id, paypalOrderId } = await flow();
        const ids = await eventIds(paypalOrderId, types);
        flows.push({ id, order: permutation.map((i) => ids[i]) });
      }
    } finally {
      await hold(false);
    }
    const released = await control(ts.service.sandbox!, 'POST', '/webhooks/release', { provider: 'paypal', order: flows.flatMap((f) => f.order) });
    expect(released.status).toBe(200);
    await webhooksSettled(ts);
    return flows.map((f) => f.id);
  }

  const summary = async (id: string) => {
    const o = await amountsOf(ts, id);
    return { status: o.status, amountCaptured: o.amountCaptured, payments: o.payments.map((p: { status: string }) => p.status), needsAttention: o.events.filter((e: { type: string }) => e.type === 'NEEDS_ATTENTION').length };
  };

  it('approve + authorize + partial capture: all 6 orders of CHECKOUT.ORDER.APPROVED, PAYMENT.AUTHORIZATION.CREATED, PAYMENT.CAPTURE.COMPLETED end PAID with 2000 captured', async () => {
    const ids = await everyOrder(['CHECKOUT.ORDER.APPROVED', 'PAYMENT.AUTHORIZATION.CREATED', 'PAYMENT.CAPTURE.COMPLETED'], async () => {
      const order = await authorizedPayPalOrder(ts);
      expect((await capturePayment(ts, order.id, 2000)).data!.capturePayment.status).toBe('PAID');
      return { id: order.id, paypalOrderId: order.paypal.paypalOrderId };
    });
    for (const id of ids) expect(await summary(id)).toEqual({ status: 'PAID', amountCaptured: 2000, payments: ['SUCCEEDED'], needsAttention: 0 });
  }, 60000);

  it('authorize + void: both orders of PAYMENT.AUTHORIZATION.CREATED and PAYMENT.AUTHORIZATION.VOIDED end CANCELED', async () => {
    const ids = await everyOrder(['PAYMENT.AUTHORIZATION.CREATED', 'PAYMENT.AUTHORIZATION.VOIDED'], async () => {
      const order = await authorizedPayPalOrder(ts);
      expect((await voidPayment(ts, order.id)).data!.voidPayment.status).toBe('CANCELED');
      return { id: order.id, paypalOrderId: order.paypal.paypalOrderId };
    });
    for (const id of ids) expect(await summary(id)).toEqual({ status: 'CANCELED', amountCaptured: 0, payments: ['CANCELED'], needsAttention: 0 });
  }, 60000);

  it('authorize + lapse (only the webhooks tell): both orders of PAYMENT.AUTHORIZATION.CREATED and PAYMENT.AUTHORIZATION.VOIDED end EXPIRED', async () => {
    const ids = await everyOrder(['PAYMENT.AUTHORIZATION.CREATED', 'PAYMENT.AUTHORIZATION.VOIDED'], async () => {
      const order = await authorizedPayPalOrder(ts);
      const [auth] = await authorizationsOf(ts, order.paypal.paypalOrderId);
      await paypalControl(ts, 'POST', `/authorizations/${auth.id}/expire`, {});
      return { id: order.id, paypalOrderId: order.paypal.paypalOrderId };
    });
    for (const id of ids) expect(await summary(id)).toEqual({ status: 'EXPIRED', amountCaptured: 0, payments: ['EXPIRED'], needsAttention: 0 });
  }, 60000);
});
