import { BadUserInputError } from '../../src/domain/errors';
import {
  addMinor,
  assertCurrency,
  currencyExponent,
  formatMoney,
  fromDecimalString,
  isKnownCurrency,
  KNOWN_CURRENCIES,
  multiplyMinor,
  sumMinor,
  toDecimalString,
} from '../../src/domain/money';

const MAX = Number.MAX_SAFE_INTEGER;

/** Runs `fn` and returns the BadUserInputError it must throw. */
function badInput(fn: () => unknown): BadUserInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return error as BadUserInputError;
  }
  throw new Error('expected a BadUserInputError');
}

describe('currencyExponent', () => {
  it.each([
    ['JPY', 0], ['KRW', 0], ['CLP', 0], ['ISK', 0], ['VND', 0], ['XAF', 0], ['XOF', 0], ['UGX', 0],
    ['PYG', 0], ['BIF', 0], ['DJF', 0], ['GNF', 0], ['KMF', 0], ['RWF', 0], ['VUV', 0], ['XPF', 0],
    ['USD', 2], ['GBP', 2], ['EUR', 2], ['CHF', 2], ['HUF', 2], ['TWD', 2], ['IDR', 2], ['INR', 2],
    ['KWD', 3], ['BHD', 3], ['OMR', 3], ['JOD', 3], ['TND', 3], ['LYD', 3], ['IQD', 3],
  ])('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
    expect(isKnownCurrency(code)).toBe(true);
  });

  it('knows a complete table of upper-case three-letter codes', () => {
    expect(KNOWN_CURRENCIES.length).toBeGreaterThanOrEqual(150);
    for (const code of KNOWN_CURRENCIES) expect(code).toMatch(/^[A-Z]{3}$/);
  });

  it.each(['usd', 'Usd', 'XYZ', '', 'US', 'USDD', ' USD', 'HRK', 'XAU', 'XXX'])('refuses %p naming it', (code) => {
    expect(isKnownCurrency(code)).toBe(false);
    const error = badInput(() => currencyExponent(code));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain(`'${code}'`);
  });

  it('assertCurrency reports the field', () => {
    expect(() => assertCurrency('EUR')).not.toThrow();
    expect(badInput(() => assertCurrency('eur', 'input.currency')).field).toBe('input.currency');
  });
});

describe('toDecimalString / fromDecimalString', () => {
  it.each([
    [1500, 'JPY', '1500'],
    [1500, 'USD', '15.00'],
    [1500, 'KWD', '1.500'],
    [0, 'USD', '0.00'],
    [0, 'JPY', '0'],
    [0, 'KWD', '0.000'],
    [1, 'USD', '0.01'],
    [1, 'KWD', '0.001'],
    [999, 'USD', '9.99'],
    [999, 'BHD', '0.999'],
    [-1, 'USD', '-0.01'],
    [-1500, 'KWD', '-1.500'],
    [-1500, 'JPY', '-1500'],
    [MAX, 'USD', '90071992547409.91'],
    [MAX, 'KWD', '9007199254740.991'],
    [-MAX, 'JPY', '-9007199254740991'],
  ])('%i %s ↔ %s', (minor, currency, decimal) => {
    expect(toDecimalString(minor, currency)).toBe(decimal);
    expect(fromDecimalString(decimal, currency)).toBe(minor);
  });

  it.each(['JPY', 'KRW', 'USD', 'EUR', 'GBP', 'KWD', 'BHD', 'OMR'])('round-trips many values in %s', (currency) => {
    const values = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 12345, 10 ** 9 + 7, 2 ** 52, MAX - 1, MAX];
    for (const value of [...values, ...values.slice(1).map((v) => -v)]) {
      const decimal = toDecimalString(value, currency);
      expect(fromDecimalString(decimal, currency)).toBe(value);
      expect(decimal.split('.')[1]?.length ?? 0).toBe(currencyExponent(currency));
    }
  });

  it('never yields negative zero', () => {
    expect(Object.is(fromDecimalString('-0.00', 'USD'), 0)).toBe(true);
    expect(toDecimalString(-0, 'USD')).toBe('0.00');
  });

  it('accepts fewer decimals than the exponent', () => {
    expect(fromDecimalString('15', 'USD')).toBe(1500);
    expect(fromDecimalString('15.5', 'USD')).toBe(1550);
    expect(fromDecimalString('1.5', 'KWD')).toBe(1500);
    expect(fromDecimalString('0.01', 'BHD')).toBe(10);
  });

  it.each([
    ['15.001', 'USD'],
    ['1500.0', 'JPY'],
    ['1.5000', 'KWD'],
  ])('refuses more decimals than the currency has: %s %s', (value, currency) => {
    expect(badInput(() => fromDecimalString(value, currency, 'input.amount')).field).toBe('input.amount');
  });

  it.each(['', ' 15.00', '15.00 ', '+15.00', '--1', '1e3', '1E3', '1,500.00', '15.', '.5', '0x10', 'NaN',
    'Infinity', '015.00', '15.0.0', '1 500', '١٥', 'abc', '-'])('refuses %p', (value) => {
    badInput(() => fromDecimalString(value, 'USD'));
  });

  it('refuses amounts beyond the safe-integer range when parsing', () => {
    badInput(() => fromDecimalString('90071992547409.92', 'USD'));
    badInput(() => fromDecimalString('-9007199254740992', 'JPY'));
    badInput(() => fromDecimalString('99999999999999999999', 'JPY'));
  });

  it.each([1.5, MAX + 1, -(MAX + 1), NaN, Infinity, 1e21])('toDecimalString refuses %p', (value) => {
    badInput(() => toDecimalString(value, 'USD'));
  });

  it('refuses unknown currencies', () => {
    badInput(() => toDecimalString(100, 'usd'));
    badInput(() => fromDecimalString('1.00', 'ABC'));
  });
});

describe('formatMoney', () => {
  it.each([
    [1500, 'USD', '$15.00'],
    [1500, 'JPY', '¥1,500'],
    [1500, 'KWD', 'KWD\u00a01.500'],
    [850, 'GBP', '£8.50'],
    [-1, 'USD', '-$0.01'],
    // CLDR would display IQD without decimals; ISO says three.
    [1500, 'IQD', 'IQD\u00a01.500'],
    [MAX, 'USD', '$90,071,992,547,409.91'],
  ])('%i %s → %s', (minor, currency, text) => {
    expect(formatMoney(minor, currency)).toBe(text);
  });

  it('honours the locale', () => {
    expect(formatMoney(123450, 'EUR', 'de-DE')).toBe('1.234,50\u00a0€');
  });

  it('refuses unknown currencies and non-integers', () => {
    badInput(() => formatMoney(100, 'XYZ'));
    badInput(() => formatMoney(1.5, 'USD'));
  });
});

describe('addMinor / sumMinor / multiplyMinor', () => {
  it('adds exactly', () => {
    expect(addMinor(1, 2)).toBe(3);
    expect(addMinor(MAX - 1, 1)).toBe(MAX);
    expect(addMinor(-5, 5)).toBe(0);
    expect(sumMinor([])).toBe(0);
    expect(sumMinor([2500, 1200, 499])).toBe(4199);
    expect(multiplyMinor(4250, 3)).toBe(12750);
  });

  it('refuses unsafe inputs and results', () => {
    expect(badInput(() => addMinor(MAX, 1, 'input.amount')).field).toBe('input.amount');
    badInput(() => addMinor(0.5, 1));
    badInput(() => addMinor(MAX + 1, 0));
    badInput(() => sumMinor([MAX, 1]));
    badInput(() => sumMinor([1, NaN]));
    badInput(() => multiplyMinor(MAX, 2));
    badInput(() => multiplyMinor(100, 1.5));
  });
});
