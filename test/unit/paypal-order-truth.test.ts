import { orderTruth } from '../../src/providers/paypal/paypal.events';

const captured = {
  id: '5O190127TN364715T',
  status: 'COMPLETED',
  purchase_units: [{
    reference_id: 'order-1',
    custom_id: 'pay-1',
    payments: {
      captures: [{ id: '3C679366HH908993F', status: 'COMPLETED', amount: { currency_code: 'USD', value: '50.00' }, custom_id: 'pay-1' }],
      refunds: [{
        id: '1JU08902781691411', status: 'COMPLETED', amount: { currency_code: 'USD', value: '10.00' },
        links: [{ rel: 'up', href: 'https://api.sandbox.paypal.com/v2/payments/captures/3C679366HH908993F', method: 'GET' }],
      }],
    },
  }],
};

describe('orderTruth (Orders v2 GET → facts for the status sync)', () => {
  it('a captured order: the capture, then every refund PayPal lists under payments.refunds, tied to the payment', () => {
    expect(orderTruth(captured, { paymentId: 'pay-1', providerPaymentId: captured.id })).toEqual([
      { kind: 'payment_succeeded', ref: { paymentId: 'pay-1', orderId: 'order-1', providerPaymentId: captured.id, chargeId: '3C679366HH908993F' }, amount: 5000, currency: 'USD' },
      {
        kind: 'refund_state',
        ref: { paymentId: 'pay-1', providerPaymentId: captured.id, chargeId: '3C679366HH908993F' },
        refund: { providerRefundId: '1JU08902781691411', amount: 1000, currency: 'USD', status: 'SUCCEEDED', refundId: undefined, failureMessage: undefined },
      },
    ]);
  });

  it('a VOIDED order (never approved in time) is PayPal saying the attempt expired', () => {
    expect(orderTruth({ id: 'X1', status: 'VOIDED', purchase_units: [] }, { paymentId: 'pay-2' })).toEqual([{ kind: 'payment_expired', ref: { paymentId: 'pay-2', providerPaymentId: 'X1' } }]);
  });

  it('an order still awaiting the buyer states nothing', () => {
    expect(orderTruth({ id: 'X2', status: 'PAYER_ACTION_REQUIRED', purchase_units: [{ custom_id: 'pay-3' }] }, {})).toEqual([]);
  });
});
