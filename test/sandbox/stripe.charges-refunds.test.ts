import type Stripe from 'stripe';
import { control, waitFor } from '../helpers/sandbox.helpers';
import { expectStripeSchema } from './stripe.schema';
import { startStripeKit, stripeError, type StripeKit } from './stripe.kit';

let kit: StripeKit;
beforeAll(async () => {
  kit = await startStripeKit();
});
afterAll(() => kit.close());

const charge = (source: string, amount = 5000) => kit.stripe.charges.create({ amount, currency: 'usd', source, description: 'legacy', metadata: { order: 'c1' } });
const paidIntent = (pm = 'pm_card_visa', amount = 5000) =>
  kit.stripe.paymentIntents.create({ amount, currency: 'usd', confirm: true, payment_method: pm, allowed_payment_method_types: ['card'] });

describe('legacy Charges with test tokens', () => {
  test.each(['tok_visa', 'tok_visa_debit', 'tok_mastercard', 'tok_amex', 'tok_bypassPending', 'tok_refundFail', 'tok_createDispute'])('%s succeeds (tokens are reusable)', async (tok) => {
    for (let i = 0; i < 2; i++) {
      const ch = await charge(tok);
      expect(ch).toMatchObject({ object: 'charge', status: 'succeeded', paid: true, captured: true, amount: 5000, currency: 'usd', metadata: { order: 'c1' }, payment_intent: null });
      expect(ch.source).toMatchObject({ object: 'card' });
      expectStripeSchema('charge', ch);
      await kit.event('charge.succeeded', ch.id);
    }
  });

  test.each([
    ['tok_chargeDeclined', 'card_declined', 'generic_decline'],
    ['tok_visa_chargeDeclined', 'card_declined', 'generic_decline'],
    ['tok_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['tok_visa_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
    ['tok_visa_chargeDeclinedLostCard', 'card_declined', 'lost_card'],
    ['tok_visa_chargeDeclinedStolenCard', 'card_declined', 'stolen_card'],
    ['tok_chargeDeclinedExpiredCard', 'expired_card', 'expired_card'],
    ['tok_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc'],
    ['tok_chargeDeclinedProcessingError', 'processing_error', 'processing_error'],
    ['tok_chargeCustomerFail', 'card_declined', 'generic_decline'],
    ['tok_radarBlock', 'card_declined', 'fraudulent'],
    ['tok_threeDSecure2Required', 'card_declined', 'authentication_required'],
  ])('%s declines with 402 %s/%s and a failed charge', async (tok, code, declineCode) => {
    const err = await stripeError(charge(tok));
    expect(err).toMatchObject({ statusCode: 402, type: 'StripeCardError', code, decline_code: declineCode, charge: expect.stringMatching(/^ch_/) });
    expectStripeSchema('error', { error: err.raw });
    expect(await kit.stripe.charges.retrieve(err.charge!)).toMatchObject({ status: 'failed', failure_code: code });
    await kit.event('charge.failed', err.charge);
  });

  test('unknown token → 404, non-token source refused', async () => {
    expect(await stripeError(charge('tok_nope'))).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'source' });
    expect(await stripeError(charge('card_123'))).toMatchObject({ statusCode: 400, param: 'source' });
  });

  test('PaymentMethods can be created from a token and then used', async () => {
    const pm = await kit.stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_mastercard' } } as Stripe.PaymentMethodCreateParams);
    expect(pm).toMatchObject({ object: 'payment_method', type: 'card', card: { brand: 'mastercard', last4: '4444' } });
    expect((await paidIntent(pm.id)).status).toBe('succeeded');
    expect(await kit.stripe.paymentMethods.retrieve(pm.id)).toMatchObject({ id: pm.id });
  });
});

describe('Refunds', () => {
  test('partial refunds add up; a full refund marks the charge refunded; never more than what is left', async () => {
    const pi = await paidIntent();
    const first = await kit.stripe.refunds.create({ payment_intent: pi.id, amount: 1500, reason: 'requested_by_customer', metadata: { why: 'size' } });
    expect(first).toMatchObject({ object: 'refund', amount: 1500, status: 'succeeded', charge: pi.latest_charge, payment_intent: pi.id, reason: 'requested_by_customer', currency: 'usd' });
    expect(first.id).toMatch(/^re_/);
    expectStripeSchema('refund', first);
    const refundedEvent = await kit.event('charge.refunded', String(pi.latest_charge));
    expect(refundedEvent.data).toMatchObject({ object: { amount_refunded: 1500, refunded: false }, previous_attributes: { amount_refunded: 0 } });
    await kit.event('refund.created', first.id);

    const tooMuch = await stripeError(kit.stripe.refunds.create({ charge: String(pi.latest_charge), amount: 4000 }));
    expect(tooMuch).toMatchObject({ statusCode: 400, param: 'amount', message: 'Refund amount ($40.00) is greater than unrefunded amount on charge ($35.00)' });

    const rest = await kit.stripe.refunds.create({ charge: String(pi.latest_charge) });
    expect(rest.amount).toBe(3500);
    const ch = await kit.stripe.charges.retrieve(String(pi.latest_charge));
    expect(ch).toMatchObject({ amount_refunded: 5000, refunded: true });
    expect(ch.refunds?.data.map((r) => r.id)).toEqual([rest.id, first.id]);
    expectStripeSchema('charge', ch);

    const again = await stripeError(kit.stripe.refunds.create({ payment_intent: pi.id, amount: 1 }));
    expect(again).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    expect(await kit.stripe.refunds.retrieve(first.id)).toMatchObject({ id: first.id, amount: 1500 });
  });

  test('more than the charge amount, zero amounts and bad targets are refused', async () => {
    const pi = await paidIntent();
    expect((await stripeError(kit.stripe.refunds.create({ payment_intent: pi.id, amount: 6000 }))).message).toBe('Refund amount ($60.00) is greater than charge amount ($50.00)');
    expect(await stripeError(kit.stripe.refunds.create({ payment_intent: pi.id, amount: 0 }))).toMatchObject({ param: 'amount' });
    expect(await stripeError(kit.stripe.refunds.create({ payment_intent: pi.id, reason: 'other' as never }))).toMatchObject({ param: 'reason' });
    expect((await stripeError(kit.stripe.refunds.create({}))).statusCode).toBe(400);
    const unpaid = await kit.stripe.paymentIntents.create({ amount: 900, currency: 'usd' });
    expect((await stripeError(kit.stripe.refunds.create({ payment_intent: unpaid.id }))).statusCode).toBe(400);
    expect((await stripeError(kit.stripe.refunds.create({ charge: 'ch_missing' }))).statusCode).toBe(404);
  });

  test('the refundFail card: the refund first succeeds, then fails with refund.updated', async () => {
    const pi = await paidIntent('pm_card_refundFail');
    const refund = await kit.stripe.refunds.create({ payment_intent: pi.id });
    expect(refund.status).toBe('succeeded');
    const updated = await kit.event('refund.updated', refund.id);
    expect(updated.data).toMatchObject({ object: { status: 'failed', failure_reason: 'expired_or_canceled_card' }, previous_attributes: { status: 'succeeded' } });
    expect(await kit.stripe.refunds.retrieve(refund.id)).toMatchObject({ status: 'failed' });
    expect(await kit.stripe.charges.retrieve(String(pi.latest_charge))).toMatchObject({ amount_refunded: 0, refunded: false });
  });
});

describe('Disputes', () => {
  test.each([
    ['pm_card_createDispute', 'fraudulent', 'needs_response'],
    ['pm_card_createDisputeProductNotReceived', 'product_not_received', 'needs_response'],
    ['pm_card_createDisputeInquiry', 'general', 'warning_needs_response'],
  ])('%s is disputed automatically (%s)', async (pm, reason, status) => {
    const pi = await paidIntent(pm);
    const dispute = await waitFor(() => kit.events().find((e) => e.type === 'charge.dispute.created' && (e.data.object as Stripe.Dispute).payment_intent === pi.id));
    expect(dispute.data.object).toMatchObject({ object: 'dispute', reason, status, charge: pi.latest_charge, amount: 5000 });
    expectStripeSchema('dispute', dispute.data.object);
    expect((await kit.stripe.charges.retrieve(String(pi.latest_charge))).disputed).toBe(true);
  });

  test('the dispute control opens one on any successful charge; a chargeback blocks refunds', async () => {
    const pi = await paidIntent();
    const res = await control(kit.sandbox, 'POST', '/stripe/disputes', { payment_intent: pi.id, reason: 'product_unacceptable', amount: 2000 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ object: 'dispute', reason: 'product_unacceptable', amount: 2000, charge: pi.latest_charge, status: 'needs_response' });
    expect(res.body.id).toMatch(/^dp_/);
    await kit.event('charge.dispute.created', res.body.id);
    expect(await stripeError(kit.stripe.refunds.create({ payment_intent: pi.id }))).toMatchObject({ code: 'charge_disputed' });
    expect((await control(kit.sandbox, 'POST', '/stripe/disputes', { payment_intent: pi.id })).status).toBe(409);
    const bad = await control(kit.sandbox, 'POST', '/stripe/disputes', { charge: 'ch_x', payment_intent: 'pi_x' });
    expect(bad).toMatchObject({ status: 400, body: { field: 'charge' } });
    expect((await control(kit.sandbox, 'POST', '/stripe/disputes', { reason: 'nope', charge: 'ch_x' })).body.field).toBe('reason');
  });
});
