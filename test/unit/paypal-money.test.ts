import { BadUserInputError } from '../../src/domain/errors';
import { assertPayPalCurrency, fromPayPalValue, toPayPalValue } from '../../src/providers/paypal/paypal.money';

describe('PayPal decimal strings', () => {
  it.each([
    [1500, 'JPY', '1500'],
    [1500, 'USD', '15.00'],
    [5, 'EUR', '0.05'],
    [150000, 'HUF', '1500'],
    [9900, 'TWD', '99'],
  ])('%i minor %s → %s (and back)', (minor, currency, value) => {
    expect(toPayPalValue(minor, currency)).toBe(value);
    expect(fromPayPalValue(value, currency)).toBe(minor);
  });

  it('refuses a HUF amount with fillér, which PayPal cannot take', () => {
    expect(() => toPayPalValue(150050, 'HUF')).toThrow(BadUserInputError);
  });

  it.each(['KWD', 'BHD', 'KRW', 'INR'])('%s is not a PayPal currency', (currency) => {
    expect(() => assertPayPalCurrency(currency, 'input.orderId')).toThrow(/PayPal does not accept payments in/);
  });
});
