import { authorizationAction } from '../../src/providers/paypal/paypal.authorization-events';
import { eventActions, orderActions } from '../../src/providers/paypal/paypal.events';
import { expectSchema } from '../sandbox/paypal.helpers';

/** A Payments v2 authorization as PayPal shows it (checked against the official `authorization-2` schema below). */
function authorization(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    id: '0VF52814937998046', status: 'CREATED', amount: { currency_code: 'USD', value: '50.00' }, custom_id: 'payment-1', invoice_id: 'order-1',
    expiration_time: '2026-12-28T10:00:00Z', create_time: '2026-11-29T10:00:00Z', update_time: '2026-11-29T10:00:00Z',
    supplementary_data: { related_ids: { order_id: '5O190127TN364715T' } },
    links: [{ href: 'https://api-m.sandbox.paypal.com/v2/checkout/orders/5O190127TN364715T', rel: 'up', method: 'GET' }],
    ...overrides,
  };
}
const ref = { paymentId: 'payment-1', orderId: undefined, providerPaymentId: '5O190127TN364715T' };

describe('PayPal authorizations → provider-neutral facts', () => {
  it('the fixtures are valid Payments v2 authorizations', () => {
    expectSchema('payments_payment_v2', 'authorization-2', authorization());
    expectSchema('payments_payment_v2', 'authorization-2', authorization({ status: 'VOIDED' }));
  });

  it('CREATED → payment_authorized in minor units, our payment from custom_id, the PayPal order from related_ids', () => {
    expect(authorizationAction(authorization())).toEqual({ kind: 'payment_authorized', ref, amount: 5000, currency: 'USD' });
    const { supplementary_data: _omitted, ...bare } = authorization();
    expect(authorizationAction(bare)).toMatchObject({ ref: { providerPaymentId: '5O190127TN364715T' } });
  });

  it('VOIDED before its expiration_time is a void; VOIDED at or after it is a lapse', () => {
    expect(authorizationAction(authorization({ status: 'VOIDED', update_time: '2026-11-30T10:00:00Z' }))).toEqual({ kind: 'payment_voided', ref });
    expect(authorizationAction(authorization({ status: 'VOIDED', update_time: '2026-12-28T10:00:00Z' }))).toEqual({ kind: 'payment_expired', ref });
  });

  it('DENIED fails the attempt; PENDING is processing; CAPTURED leaves the word to its captures', () => {
    expect(authorizationAction(authorization({ status: 'DENIED' }))).toMatchObject({ kind: 'payment_failed', code: 'AUTHORIZATION_DENIED' });
    expect(authorizationAction(authorization({ status: 'PENDING' }))).toEqual({ kind: 'payment_processing', ref });
    expect(authorizationAction(authorization({ status: 'CAPTURED' })).kind).toBe('ignored');
    expect(authorizationAction(authorization({ amount: { currency_code: 'USD', value: 'x' } })).kind).toBe('ignored');
  });

  it('PAYMENT.AUTHORIZATION.CREATED / VOIDED events carry the authorization as their resource', () => {
    expect(eventActions({ event_type: 'PAYMENT.AUTHORIZATION.CREATED', resource: authorization() })).toEqual([{ kind: 'payment_authorized', ref, amount: 5000, currency: 'USD' }]);
    expect(eventActions({ event_type: 'PAYMENT.AUTHORIZATION.VOIDED', resource: authorization({ status: 'VOIDED' }) })).toEqual([{ kind: 'payment_voided', ref }]);
  });

  it('an order shows its authorization until a capture exists; then only the captures speak', () => {
    const unit = { reference_id: 'order-1', custom_id: 'payment-1' };
    const authorized = { id: '5O190127TN364715T', status: 'COMPLETED', purchase_units: [{ ...unit, payments: { authorizations: [authorization()] } }] };
    expect(orderActions(authorized)).toEqual([{ kind: 'payment_authorized', ref: { ...ref, orderId: 'order-1' }, amount: 5000, currency: 'USD' }]);
    const capture = { id: '2GG279541U471931P', status: 'COMPLETED', amount: { currency_code: 'USD', value: '18.00' }, final_capture: true, custom_id: 'payment-1' };
    const captured = { ...authorized, purchase_units: [{ ...unit, payments: { authorizations: [authorization({ status: 'CAPTURED' })], captures: [capture] } }] };
    expect(orderActions(captured)).toEqual([{ kind: 'payment_succeeded', ref: { ...ref, orderId: 'order-1', chargeId: '2GG279541U471931P' }, amount: 1800, currency: 'USD', finalCapture: true }]);
    // Captured in part (not final), then voided: the capture first, then the release of the rest.
    const partly = { ...capture, final_capture: false };
    const voided = { ...authorized, purchase_units: [{ ...unit, payments: { authorizations: [authorization({ status: 'VOIDED', update_time: '2026-11-30T10:00:00Z' })], captures: [partly] } }] };
    expect(orderActions(voided).map((a) => a.kind)).toEqual(['payment_succeeded', 'payment_voided']);
  });
});
