import { parseForm } from '../../src/sandbox/stripe/stripe.form';
import type { RunningSandbox } from '../../src/sandbox/core/sandbox.types';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy';
import { control, postForm, startTestSandbox, TEST_CREDENTIALS } from '../helpers/sandbox.helpers';
import { gql, startTestService, type TestService } from '../helpers/service.helpers';
import { requestSchema, specOperation, specParameterProblems } from '../helpers/stripe-spec';
import { charge, checkout, newOrder, orderOf, payOnHostedPage, refund, waitForStatus } from './stripe.e2e-helpers';

const RECONCILE = 'mutation($id: ID!) { reconcileOrder(orderId: $id) { status } }';

/**
 * Every request the service sends to Stripe, through every Stripe flow it has, is recorded by a
 * proxy in front of the sandbox and checked against Stripe's published API (spec3.json): the path
 * and method exist, and every parameter exists for them (issue 9, item 6).
 */
describe('what the service sends to Stripe is in spec3.json', () => {
  let sandbox: RunningSandbox;
  let proxy: RecordingProxy;
  let ts: TestService | undefined;

  beforeAll(async () => {
    // One proxy both ways: the service's API calls go to the sandbox, the sandbox's webhooks to the service.
    proxy = await startRecordingProxy((path) => (path.startsWith('/webhooks/') ? ts?.url : sandbox.url));
    sandbox = await startTestSandbox({ stripe: { webhookUrl: `${proxy.url}/webhooks/stripe` } });
    ts = await startTestService({ STRIPE_SECRET_KEY: TEST_CREDENTIALS.stripeSecretKey, STRIPE_WEBHOOK_SECRET: TEST_CREDENTIALS.stripeWebhookSecret, STRIPE_API_BASE: proxy.url });
  });
  afterAll(async () => {
    await ts?.close();
    await sandbox.close();
    await proxy.close();
  });

  it('checkout, card token, 3-D Secure, switching, cancel and refunds: every request and parameter is documented', async () => {
    expect(ts!.service.services.config.stripe.mode).toBe('real');
    const paid = await newOrder(ts!);
    const session = (await checkout(ts!, paid.id, paid.token)).data!.createCheckoutSession;
    expect((await checkout(ts!, paid.id, paid.token)).data!.createCheckoutSession.sessionId).toBe(session.sessionId);
    expect((await payOnHostedPage(session.url)).status).toBe(303);
    await waitForStatus(ts!, paid.id, 'PAID');
    expect((await refund(ts!, paid.id, 1000)).data!.refundOrder.status).toBe('SUCCEEDED');
    // The status sync's reads (session with its PaymentIntent, the charge with its refunds, its disputes).
    const pi = (await orderOf(ts!, paid.id)).payments[0].providerPaymentId;
    expect((await control(sandbox, 'POST', '/stripe/disputes', { payment_intent: pi })).status).toBe(201);
    expect((await gql(ts!.graphqlUrl, RECONCILE, { id: paid.id }, ts!.adminKey)).data!.reconcileOrder.status).toBe('DISPUTED');

    const card = await newOrder(ts!);
    await checkout(ts!, card.id, card.token);
    const threeDs = await charge(ts!, card.id, card.token, 'tok_threeDSecure2Required');
    expect(threeDs.data!.chargeWithToken.requiresAction).toBe(true);
    expect((await gql(ts!.graphqlUrl, 'mutation($id: ID!) { cancelOrder(orderId: $id) { status } }', { id: card.id }, card.token)).data!.cancelOrder.status).toBe('CANCELED');
    expect((await postForm(threeDs.data!.chargeWithToken.nextActionUrl, { action: 'complete' })).status).toBe(409);

    const token = await newOrder(ts!);
    expect((await charge(ts!, token.id, token.token, 'tok_visa')).data!.chargeWithToken.order.status).toBe('PAID');
    expect((await refund(ts!, token.id)).data!.refundOrder.status).toBe('SUCCEEDED');
    expect((await gql(ts!.graphqlUrl, RECONCILE, { id: token.id }, ts!.adminKey)).data!.reconcileOrder.status).toBe('REFUNDED');

    const sent = proxy.requests.filter((r) => r.path.startsWith('/v1/'));
    const kinds = new Set(sent.map((r) => `${r.method} ${specOperation(r.method, r.path)?.template ?? r.path}`));
    expect([...kinds].sort()).toEqual(expect.arrayContaining([
      'GET /v1/checkout/sessions/{session}', 'POST /v1/checkout/sessions', 'POST /v1/checkout/sessions/{session}/expire',
      'POST /v1/payment_intents', 'POST /v1/payment_intents/{intent}/cancel', 'POST /v1/payment_methods', 'POST /v1/refunds',
      'GET /v1/payment_intents/{intent}', 'GET /v1/charges/{charge}', 'GET /v1/disputes',
    ]));
    const problems = sent.flatMap((r) => {
      const found = specOperation(r.method, r.path);
      if (!found) return [`${r.method} ${r.path}: no such operation in spec3.json`];
      const params = parseForm(r.method === 'GET' || r.method === 'DELETE' ? r.query : r.body);
      return specParameterProblems(requestSchema(r.method, found.operation), params).map((p) => `${r.method} ${found.template}: ${p}`);
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
