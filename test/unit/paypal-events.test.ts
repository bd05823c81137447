import { readFileSync } from 'node:fs';
import { captureAction, eventActions, orderActions } from '../../src/providers/paypal/paypal.events';
import { reference } from '../helpers/reference';

const SAMPLES = reference('paypal', 'events');
const sample = (file: string) => JSON.parse(readFileSync(`${SAMPLES}/${file}`, 'utf8')) as Record<string, any>;

describe("PayPal events → provider-neutral facts (PayPal's published samples)", () => {
  it('CHECKOUT.ORDER.APPROVED → payment_approved for the PayPal order', () => {
    expect(eventActions(sample('CHECKOUT.ORDER.APPROVED.json'))).toEqual([
      { kind: 'payment_approved', ref: { paymentId: undefined, orderId: 'd9f80740-38f0-11e8-b467-0ed5f89f718b', providerPaymentId: '5O190127TN364715T' } },
    ]);
  });

  it('PAYMENT.CAPTURE.COMPLETED → payment_succeeded: custom_id, order id from supplementary_data, capture id, amount in minor units', () => {
    expect(eventActions(sample('PAYMENT.CAPTURE.COMPLETED.json'))).toEqual([{
      kind: 'payment_succeeded',
      ref: { paymentId: 'Custom-1234', orderId: undefined, providerPaymentId: '1BV95196WW992540E', chargeId: '56U00550J8319094C' },
      amount: 100,
      currency: 'EUR',
      finalCapture: true,
    }]);
  });

  it('a capture of an authorization that is not final says so (finalCapture false: more captures may follow)', () => {
    const event = sample('PAYMENT.CAPTURE.COMPLETED.json');
    const [action] = eventActions({ ...event, resource: { ...event.resource, final_capture: false } });
    expect(action).toMatchObject({ kind: 'payment_succeeded', finalCapture: false, amount: 100 });
    const { final_capture: _omitted, ...withoutFlag } = event.resource;
    expect(eventActions({ ...event, resource: withoutFlag })[0]).not.toHaveProperty('finalCapture');
  });

  it('PAYMENT.CAPTURE.DENIED (capture status DECLINED) → payment_failed', () => {
    expect(eventActions(sample('PAYMENT.CAPTURE.DENIED.json'))).toEqual([expect.objectContaining({
      kind: 'payment_failed', code: 'DECLINED', ref: expect.objectContaining({ chargeId: '826413372K501814R', providerPaymentId: '5O190127TN364715T' }),
    })]);
  });

  it('PAYMENT.CAPTURE.REFUNDED → refund_state against the capture named by the `up` link', () => {
    expect(eventActions(sample('PAYMENT.CAPTURE.REFUNDED.json'))).toEqual([{
      kind: 'refund_state',
      ref: { paymentId: undefined, providerPaymentId: undefined, chargeId: '0JF852973C016714D' },
      refund: { providerRefundId: '1Y107995YT783435V', amount: 99, currency: 'USD', status: 'SUCCEEDED', refundId: undefined, failureMessage: undefined },
    }]);
  });

  it('a capture whose `up` link is an authorization does not invent a PayPal order id', () => {
    const [action] = eventActions(sample('alt/PAYMENT.CAPTURE.COMPLETED.classic-2019.json'));
    expect(action).toMatchObject({ kind: 'payment_succeeded', amount: 251, currency: 'USD', ref: { providerPaymentId: undefined, chargeId: '27M47624FP291604U' } });
  });

  it('unhandled types are ignored with a reason', () => {
    expect(eventActions(sample('alt/CHECKOUT.ORDER.DECLINED.eps-docs.json'))).toEqual([{ kind: 'ignored', reason: 'event type CHECKOUT.ORDER.DECLINED is not handled' }]);
  });
});

describe('PayPal resources of our own payments', () => {
  it('our refund id comes back from a refund custom_id with our prefix; a bare custom_id is the payment id', () => {
    const refund = { id: 'R1', status: 'COMPLETED', amount: { currency_code: 'JPY', value: '500' }, custom_id: 'refund-abc', links: [{ rel: 'up', href: 'https://api-m.paypal.com/v2/payments/captures/C1' }] };
    expect(eventActions({ event_type: 'PAYMENT.CAPTURE.REVERSED', resource: refund })).toEqual([expect.objectContaining({
      kind: 'refund_state', ref: expect.objectContaining({ paymentId: undefined, chargeId: 'C1' }), refund: expect.objectContaining({ refundId: 'abc', amount: 500, currency: 'JPY' }),
    })]);
    const atProvider = { ...refund, custom_id: 'pay-1' };
    expect(eventActions({ event_type: 'PAYMENT.CAPTURE.REFUNDED', resource: atProvider })[0]).toMatchObject({ ref: { paymentId: 'pay-1' }, refund: { refundId: undefined } });
  });

  it('CUSTOMER.DISPUTE.CREATED → dispute_opened on the disputed capture', () => {
    const dispute = { dispute_id: 'PP-D-1', reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED', disputed_transactions: [{ seller_transaction_id: 'C9', custom: 'pay-9' }] };
    expect(eventActions({ event_type: 'CUSTOMER.DISPUTE.CREATED', resource: dispute })).toEqual([
      { kind: 'dispute_opened', ref: { chargeId: 'C9', paymentId: 'pay-9' }, disputeId: 'PP-D-1', reason: 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED' },
    ]);
  });

  it('an order answer yields one fact per capture; PENDING and HUF amounts map as PayPal states them', () => {
    const order = {
      id: 'O1', status: 'COMPLETED',
      purchase_units: [{ reference_id: 'ord', custom_id: 'pay', payments: { captures: [{ id: 'C1', status: 'PENDING', amount: { currency_code: 'HUF', value: '1500' } }] } }],
    };
    expect(orderActions(order)).toEqual([{ kind: 'payment_processing', ref: { paymentId: 'pay', orderId: 'ord', providerPaymentId: 'O1', chargeId: 'C1' } }]);
    expect(captureAction({ id: 'C2', status: 'COMPLETED', amount: { currency_code: 'HUF', value: '1500' } }, {})).toMatchObject({ amount: 150000, currency: 'HUF' });
    expect(captureAction({ id: 'C3', status: 'COMPLETED', amount: { currency_code: 'USD', value: 'abc' } }, {}).kind).toBe('ignored');
  });
});
