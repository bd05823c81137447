import { charge, refund } from './stripe.e2e-helpers';
import { createOrder, eventually, gql, startTestService, type TestService } from '../helpers/service.helpers';
import { startTestEndpoint, type TestEndpoint } from '../helpers/webhook-endpoint.server';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`;

/** A payment's life as the merchant's endpoint hears of it: a declined card, a payment, a refund, each verified. */
describe('outbound webhook event types from real payments', () => {
  let ts: TestService;
  let endpoint: TestEndpoint;

  beforeAll(async () => {
    ts = await startTestService();
    endpoint = await startTestEndpoint();
    const created = await gql(ts.graphqlUrl, CREATE, { input: { url: endpoint.url, events: ['payment.failed', 'order.paid', 'order.refunded'] } }, ts.adminKey);
    endpoint.setSecret(created.data!.createWebhookEndpoint.secret);
  });

  afterAll(async () => {
    await ts.close();
    await endpoint.close();
  });

  it('sends payment.failed with the provider code, then order.paid, then order.refunded', async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 2 }]);
    expect((await charge(ts, id, token, 'tok_chargeDeclined')).errors?.[0].extensions?.code).toBe('PROVIDER_ERROR');
    const declined = await eventually(async () => endpoint.received.find((m) => m.payload?.type === 'payment.failed'), 'payment.failed');
    expect(declined.payload!.data.change).toMatchObject({ type: 'PAYMENT_FAILED', message: expect.stringContaining('card_declined') });

    expect((await charge(ts, id, token, 'tok_visa')).errors).toBeUndefined();
    const paid = await eventually(async () => endpoint.received.find((m) => m.payload?.type === 'order.paid'), 'order.paid');
    expect(paid.payload!.data.order).toMatchObject({ id, status: 'PAID' });

    expect((await refund(ts, id, 300)).errors).toBeUndefined();
    const refunded = await eventually(async () => endpoint.received.find((m) => m.payload?.type === 'order.refunded'), 'order.refunded');
    expect(refunded.payload!.data.change).toMatchObject({ status: 'PARTIALLY_REFUNDED', previousStatus: 'PAID' });
    expect(refunded.payload!.data.order).toMatchObject({ amountRefunded: 300 });

    expect(endpoint.received.every((m) => m.verified)).toBe(true);
    const sequences = [declined, paid, refunded].map((m) => m.payload!.data.change.sequence as number);
    expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
  });
});
