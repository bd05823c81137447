import { control } from '../helpers/sandbox.helpers';
import { gql, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { holdWebhooks, newOrder, orderOf, sandboxEvents } from './stripe.e2e-helpers';

/**
 * Stripe's events for an authorization and its capture (or void), delivered in every order after
 * the synchronous answers already settled the order: late "authorized" events never undo a capture.
 */
const AUTHORIZE = `mutation($input: ChargeWithTokenInput!) { chargeWithToken(input: $input) { order { status payments { providerPaymentId } } } }`;
const CAPTURE = `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { status } }`;
const VOID = `mutation($orderId: ID!) { voidPayment(orderId: $orderId) { status } }`;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('manual capture: every delivery order of the events converges', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'on' });
  });

  afterAll(async () => {
    await ts.close();
  });

  async function authorizedWhileHeld(): Promise<{ id: string; pi: string }> {
    const { id, token } = await newOrder(ts);
    const res = await gql(ts.graphqlUrl, AUTHORIZE, { input: { orderId: id, token: 'tok_visa', captureMethod: 'MANUAL' } }, token);
    expect(res.data!.chargeWithToken.order.status).toBe('AUTHORIZED');
    return { id, pi: res.data!.chargeWithToken.order.payments[0].providerPaymentId };
  }

  async function eventIds(pi: string, types: string[]): Promise<string[]> {
    const events = (await sandboxEvents(ts)).filter((e) => e.body.data.object.id === pi || e.body.data.object.payment_intent === pi);
    return types.map((type) => {
      const found = events.find((e) => e.eventType === type);
      if (!found) throw new Error(`no ${type} for ${pi}`);
      return found.eventId;
    });
  }

  async function releaseInOrder(order: string[]): Promise<void> {
    const released = await control<{ released: string[] }>(ts.service.sandbox!, 'POST', '/webhooks/release', { provider: 'stripe', order });
    expect(released.status).toBe(200);
    await webhooksSettled(ts);
  }

  const summary = (o: Record<string, any>) => ({
    status: o.status,
    payments: o.payments.map((p: Record<string, any>) => p.status),
    needsAttention: o.events.filter((e: { type: string }) => e.type === 'NEEDS_ATTENTION').length,
  });

  it('authorize + partial capture: 6 orders of amount_capturable_updated, charge.captured and payment_intent.succeeded all end PAID with 2000 captured', async () => {
    const types = ['payment_intent.amount_capturable_updated', 'charge.captured', 'payment_intent.succeeded'];
    await holdWebhooks(ts, true);
    const flows: { id: string; order: string[] }[] = [];
    for (const permutation of permutations([0, 1, 2])) {
      const { id, pi } = await authorizedWhileHeld();
      expect((await gql(ts.graphqlUrl, CAPTURE, { input: { orderId: id, amount: 2000 } }, ts.adminKey)).data!.capturePayment.status).toBe('PAID');
      const ids = await eventIds(pi, types);
      flows.push({ id, order: permutation.map((i) => ids[i]) });
    }
    await releaseInOrder(flows.flatMap((f) => f.order));
    for (const f of flows) {
      const order = await orderOf(ts, f.id);
      expect(summary(order)).toEqual({ status: 'PAID', payments: ['SUCCEEDED'], needsAttention: 0 });
      expect((await gql(ts.graphqlUrl, `query($id: ID!) { order(id: $id) { amountCaptured } }`, { id: f.id }, ts.adminKey)).data!.order.amountCaptured).toBe(2000);
    }
  }, 60000);

  it('authorize + void: both orders of amount_capturable_updated and payment_intent.canceled end CANCELED', async () => {
    const types = ['payment_intent.amount_capturable_updated', 'payment_intent.canceled'];
    await holdWebhooks(ts, true);
    const flows: { id: string; order: string[] }[] = [];
    for (const permutation of permutations([0, 1])) {
      const { id, pi } = await authorizedWhileHeld();
      expect((await gql(ts.graphqlUrl, VOID, { orderId: id }, ts.adminKey)).data!.voidPayment.status).toBe('CANCELED');
      const ids = await eventIds(pi, types);
      flows.push({ id, order: permutation.map((i) => ids[i]) });
    }
    await releaseInOrder(flows.flatMap((f) => f.order));
    for (const f of flows) expect(summary(await orderOf(ts, f.id))).toEqual({ status: 'CANCELED', payments: ['CANCELED'], needsAttention: 0 });
  }, 60000);
});
