import type Stripe from 'stripe';
import { control } from '../helpers/sandbox.helpers';
import { orderBody, paypal, startPayPalSandboxWithReceiver, type PayPalSandboxWithReceiver } from './paypal.helpers';
import { expectStripeSchema } from './stripe.schema';
import { startStripeKit, type StripeKit } from './stripe.kit';

describe('Stripe sandbox: closing a dispute', () => {
  let kit: StripeKit;
  beforeAll(async () => {
    kit = await startStripeKit();
  });
  afterAll(() => kit.close());

  const paidIntent = (pm = 'pm_card_visa') =>
    kit.stripe.paymentIntents.create({ amount: 5000, currency: 'usd', confirm: true, payment_method: pm, allowed_payment_method_types: ['card'] });
  const openDispute = async (pm?: string): Promise<Stripe.Dispute> =>
    (await control<Stripe.Dispute>(kit.sandbox, 'POST', '/stripe/disputes', { payment_intent: (await paidIntent(pm)).id })).body;

  test.each(['won', 'lost'] as const)('POST /disputes/:id/close {status: %s} → charge.dispute.closed with the Dispute in that status', async (status) => {
    const dispute = await openDispute();
    const res = await control(kit.sandbox, 'POST', `/stripe/disputes/${dispute.id}/close`, { status });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: dispute.id, object: 'dispute', status, charge: dispute.charge, amount: 5000 });
    const closed = await kit.event('charge.dispute.closed', dispute.id);
    expect(closed.data.object).toMatchObject({ id: dispute.id, status, reason: dispute.reason, payment_intent: dispute.payment_intent });
    expectStripeSchema('dispute', closed.data.object);
  });

  test('an inquiry closes as warning_closed only; a closed dispute does not close again; bad input is refused', async () => {
    const inquiry = (await control<Stripe.Dispute>(kit.sandbox, 'POST', '/stripe/disputes', { payment_intent: (await paidIntent()).id, inquiry: true })).body;
    expect(inquiry.status).toBe('warning_needs_response');
    expect(await control(kit.sandbox, 'POST', `/stripe/disputes/${inquiry.id}/close`, { status: 'won' })).toMatchObject({ status: 400, body: { field: 'status' } });
    expect((await control(kit.sandbox, 'POST', `/stripe/disputes/${inquiry.id}/close`, { status: 'warning_closed' })).body.status).toBe('warning_closed');
    expect((await kit.event('charge.dispute.closed', inquiry.id)).data.object).toMatchObject({ status: 'warning_closed' });

    const chargeback = await openDispute();
    expect(await control(kit.sandbox, 'POST', `/stripe/disputes/${chargeback.id}/close`, { status: 'warning_closed' })).toMatchObject({ status: 400, body: { field: 'status' } });
    expect((await control(kit.sandbox, 'POST', `/stripe/disputes/${chargeback.id}/close`, { status: 'lost' })).status).toBe(200);
    expect((await control(kit.sandbox, 'POST', `/stripe/disputes/${chargeback.id}/close`, { status: 'won' })).status).toBe(409);
    expect((await control(kit.sandbox, 'POST', '/stripe/disputes/dp_nope/close', { status: 'won' })).status).toBe(404);
    expect(await control(kit.sandbox, 'POST', `/stripe/disputes/${chargeback.id}/close`, { status: 'maybe' })).toMatchObject({ status: 400, body: { field: 'status' } });
    expect(kit.events().filter((e) => e.type === 'charge.dispute.closed' && (e.data.object as Stripe.Dispute).id === chargeback.id)).toHaveLength(1);
  });
});

describe('PayPal sandbox: resolving a dispute', () => {
  let env: PayPalSandboxWithReceiver;
  beforeAll(async () => (env = await startPayPalSandboxWithReceiver()));
  afterAll(async () => {
    await env.sb.close();
    await env.receiver.close();
  });

  async function capturedAndDisputed(): Promise<{ captureId: string; dispute: Record<string, any> }> {
    const { result } = await env.client.execute(new paypal.orders.OrdersCreateRequest().requestBody(orderBody()));
    await fetch(`${env.sb.url}/paypal/checkoutnow?token=${result.id}`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ action: 'approve' }) });
    const captured = await env.client.execute(new paypal.orders.OrdersCaptureRequest(result.id));
    const captureId: string = captured.result.purchase_units[0].payments.captures[0].id;
    const dispute = await env.sb.control('POST', '/disputes', { capture_id: captureId });
    expect(dispute.status).toBe(201);
    return { captureId, dispute: dispute.body };
  }

  test.each([
    ['RESOLVED_SELLER_FAVOUR', false],
    ['RESOLVED_BUYER_FAVOUR', true],
  ])('POST /disputes/:id/resolve {outcome: %s} → CUSTOMER.DISPUTE.RESOLVED with dispute_outcome', async (outcome, refundsBuyer) => {
    const { captureId, dispute } = await capturedAndDisputed();
    const res = await env.sb.control('POST', `/disputes/${dispute.dispute_id}/resolve`, { outcome });
    expect(res.status).toBe(200);
    await env.sb.idle();
    const resolved = (await env.receiver.waitFor('CUSTOMER.DISPUTE.RESOLVED')).map((h) => h.event).find((e) => e.resource.dispute_id === dispute.dispute_id);
    expect(resolved).toMatchObject({
      event_type: 'CUSTOMER.DISPUTE.RESOLVED', resource_type: 'dispute', resource_version: '1.1',
      resource: { dispute_id: dispute.dispute_id, status: 'RESOLVED', disputed_transactions: [{ seller_transaction_id: captureId }], dispute_outcome: { outcome_code: outcome } },
    });
    expect(resolved!.resource.dispute_outcome.amount_refunded).toEqual(refundsBuyer ? dispute.dispute_amount : undefined);
  });

  test('a resolved dispute does not resolve again; unknown disputes and outcomes are refused', async () => {
    const { dispute } = await capturedAndDisputed();
    expect((await env.sb.control('POST', `/disputes/${dispute.dispute_id}/resolve`, { outcome: 'RESOLVED_SELLER_FAVOUR' })).status).toBe(200);
    expect((await env.sb.control('POST', `/disputes/${dispute.dispute_id}/resolve`, { outcome: 'RESOLVED_BUYER_FAVOUR' })).status).toBe(409);
    expect((await env.sb.control('POST', '/disputes/PP-D-0/resolve', { outcome: 'RESOLVED_SELLER_FAVOUR' })).status).toBe(404);
    expect((await env.sb.control('POST', `/disputes/${dispute.dispute_id}/resolve`, { outcome: 'WHATEVER' })).status).toBe(400);
  });
});
