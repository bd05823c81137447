import { readFileSync } from 'node:fs';
import type Stripe from 'stripe';
import { eventActions } from '../../src/providers/paypal/paypal.events';
import { stripeEventActions } from '../../src/providers/stripe/stripe.events';
import { reference } from '../helpers/reference';

const stripeEvent = (type: string, object: Record<string, unknown>) => ({ id: 'evt_1', object: 'event', type, data: { object } }) as unknown as Stripe.Event;
/** The fixture Dispute of Stripe's OpenAPI repository, with the status under test. */
const fixture = JSON.parse(readFileSync(reference('stripe', 'samples', 'dispute.json'), 'utf8')) as Record<string, any>;
const stripeDispute = (status: string) => ({ ...fixture, id: 'dp_1', charge: 'ch_1', payment_intent: 'pi_1', amount: 1500, currency: 'jpy', reason: 'fraudulent', status });
const stripeSaid = { ref: { chargeId: 'ch_1', providerPaymentId: 'pi_1' }, disputeId: 'dp_1', reason: 'fraudulent', amount: 1500, currency: 'JPY' };

describe('Stripe charge.dispute.* → dispute facts (from the Dispute status)', () => {
  it.each([
    ['won', 'won'],
    ['lost', 'lost'],
    ['warning_closed', 'won'],
  ])('charge.dispute.closed with status %s → dispute_closed %s', (status, outcome) => {
    expect(stripeEventActions(stripeEvent('charge.dispute.closed', stripeDispute(status)))).toEqual([{ kind: 'dispute_closed', ...stripeSaid, outcome }]);
  });

  it.each(['needs_response', 'under_review', 'warning_needs_response', 'warning_under_review'])('charge.dispute.created / updated with status %s → dispute_opened', (status) => {
    for (const type of ['charge.dispute.created', 'charge.dispute.updated']) {
      expect(stripeEventActions(stripeEvent(type, stripeDispute(status)))).toEqual([{ kind: 'dispute_opened', ...stripeSaid }]);
    }
  });

  it('charge.dispute.updated that already says won → dispute_closed (the state decides, not the event name)', () => {
    expect(stripeEventActions(stripeEvent('charge.dispute.updated', stripeDispute('won')))[0]).toMatchObject({ kind: 'dispute_closed', outcome: 'won' });
  });

  it('statuses Stripe added after our spec (prevented, appeal_*) are not mapped on updated / closed', () => {
    for (const status of ['prevented', 'appeal_needs_response', 'appeal_under_review']) {
      expect(stripeEventActions(stripeEvent('charge.dispute.closed', stripeDispute(status)))).toEqual([{ kind: 'ignored', reason: `dispute dp_1 status ${status} is not mapped` }]);
      expect(stripeEventActions(stripeEvent('charge.dispute.updated', stripeDispute(status)))[0].kind).toBe('ignored');
    }
  });

  it('funds_withdrawn / funds_reinstated stay unhandled (money facts come from the dispute outcome)', () => {
    expect(stripeEventActions(stripeEvent('charge.dispute.funds_withdrawn', stripeDispute('needs_response')))[0].kind).toBe('ignored');
  });
});

const paypalDispute = (extra: Record<string, unknown>) => ({
  event_type: 'CUSTOMER.DISPUTE.RESOLVED',
  resource: {
    dispute_id: 'PP-D-1', reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED', status: 'RESOLVED',
    dispute_amount: { currency_code: 'KWD', value: '4.250' },
    disputed_transactions: [{ seller_transaction_id: 'C9', custom: 'pay-9' }],
    ...extra,
  },
});
const paypalSaid = { ref: { chargeId: 'C9', paymentId: 'pay-9' }, disputeId: 'PP-D-1', reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED', amount: 4250, currency: 'KWD' };

describe('PayPal CUSTOMER.DISPUTE.* → dispute facts', () => {
  it.each([
    ['RESOLVED_SELLER_FAVOUR', 'won'],
    ['RESOLVED_BUYER_FAVOUR', 'lost'],
  ])('RESOLVED with outcome_code %s → dispute_closed %s (amount in minor units)', (code, outcome) => {
    expect(eventActions(paypalDispute({ dispute_outcome: { outcome_code: code } }))).toEqual([{ kind: 'dispute_closed', ...paypalSaid, outcome }]);
  });

  it.each(['RESOLVED_WITH_PAYOUT', 'CANCELED_BY_BUYER', 'ACCEPTED', 'DENIED', 'NONE'])('RESOLVED with outcome_code %s is not mapped (left to a human)', (code) => {
    expect(eventActions(paypalDispute({ dispute_outcome: { outcome_code: code } }))).toEqual([
      { kind: 'ignored', reason: `dispute PP-D-1 resolved with outcome ${code}, which is not mapped` },
    ]);
    expect(eventActions(paypalDispute({}))[0]).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('(none)') });
  });

  it('UPDATED while still under review → dispute_opened; UPDATED already resolved → dispute_closed', () => {
    const updated = (resource: Record<string, unknown>) => ({ ...paypalDispute(resource), event_type: 'CUSTOMER.DISPUTE.UPDATED' });
    expect(eventActions(updated({ status: 'UNDER_REVIEW' }))).toEqual([{ kind: 'dispute_opened', ...paypalSaid }]);
    expect(eventActions(updated({ dispute_outcome: { outcome_code: 'RESOLVED_SELLER_FAVOUR' } }))[0]).toMatchObject({ kind: 'dispute_closed', outcome: 'won' });
  });

  it('a resolved dispute without a disputed capture is ignored', () => {
    expect(eventActions(paypalDispute({ disputed_transactions: [] }))).toEqual([{ kind: 'ignored', reason: 'dispute without a disputed capture' }]);
  });
});
