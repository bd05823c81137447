import { countOrders, createOrder, errorCode, gql, startTestService, type TestService } from '../helpers/service.helpers';

/** With SANDBOX=off and no keys, a provider is disabled: its operations say which variables to set. */
describe('a provider without configuration', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ SANDBOX: 'off' });
  });
  afterAll(async () => service.close());

  it.each([
    ['createCheckoutSession', 'mutation($id: ID!) { createCheckoutSession(input: { orderId: $id, successUrl: "https://shop.example/ok", cancelUrl: "https://shop.example/no" }) { url } }', /STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/],
    ['chargeWithToken', 'mutation($id: ID!) { chargeWithToken(input: { orderId: $id, token: "tok_visa" }) { requiresAction } }', /STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/],
    ['createPayPalOrder', 'mutation($id: ID!) { createPayPalOrder(input: { orderId: $id, returnUrl: "https://shop.example/ok", cancelUrl: "https://shop.example/no" }) { approveUrl } }', /PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID/],
    ['capturePayPalOrder', 'mutation($id: ID!) { capturePayPalOrder(input: { orderId: $id }) { status } }', /PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID/],
  ])('%s answers BAD_USER_INPUT naming the variables, and the order stays CREATED', async (_name, mutation, variables) => {
    const order = await createOrder(service.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const res = await gql(service.graphqlUrl, mutation, { id: order.id }, order.token);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.field).toBe('provider');
    expect(res.errors![0].message).toMatch(variables);
    const view = await gql<{ order: { status: string; payments: unknown[] } }>(service.graphqlUrl, 'query($id: ID!) { order(id: $id) { status payments { id } } }', { id: order.id }, order.token);
    expect(view.data!.order).toEqual({ status: 'CREATED', payments: [] });
  });

  it('its webhook route answers 404 naming the variables, and stores nothing', async () => {
    const before = await countOrders(service);
    const res = await fetch(`${service.url}/webhooks/stripe`, { method: 'POST', headers: { 'stripe-signature': 't=1,v1=x' }, body: '{}' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toMatch(/STRIPE_SECRET_KEY/);
    expect(await countOrders(service)).toBe(before);
  });
});
