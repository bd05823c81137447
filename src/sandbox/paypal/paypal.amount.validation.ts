import type { ErrorDetail } from './paypal.errors';
import { isObject } from './paypal.field.validation';
import { PAYPAL_CURRENCIES, isMoneySyntax, money, moneyProblem, toMinor, currencyDigits, type Money } from './paypal.money';

/** Collected problems: `schema` ones answer 400, `business` ones 422 (PayPal's split). */
export interface Problems {
  schema: ErrorDetail[];
  business: ErrorDetail[];
}

type Json = Record<string, unknown>;

const BREAKDOWN_ADD = ['item_total', 'tax_total', 'shipping', 'handling', 'insurance'] as const;
const BREAKDOWN_SUB = ['shipping_discount', 'discount'] as const;

/**
 * A Payments v2 request's optional `amount` (a capture of an authorization, a refund of a
 * capture), which must be in `currency`: another currency_code is `mismatch`, zero or less is
 * CANNOT_BE_ZERO_OR_NEGATIVE. Minor units, or undefined when absent or refused.
 */
export function readAmountIn(
  raw: unknown, currency: string, problems: Problems, refusals: { mismatch: string; mismatchDescription: string; zeroDescription: string },
): bigint | undefined {
  const amount = raw as Json;
  if (typeof amount === 'object' && amount !== null && typeof amount.currency_code === 'string' && amount.currency_code !== currency) {
    problems.business.push({ field: '/amount/currency_code', value: amount.currency_code, location: 'body', issue: refusals.mismatch, description: refusals.mismatchDescription });
    return undefined;
  }
  const read = readMoney(raw, '/amount', '/amount', currency, problems);
  if (read && read.minor <= 0n) {
    problems.business.push({ field: '/amount/value', value: read.canonical.value, location: 'body', issue: 'CANNOT_BE_ZERO_OR_NEGATIVE', description: refusals.zeroDescription });
  }
  return read?.minor;
}

/**
 * Reads one `money` object at `pointer`, recording PayPal's issue for every
 * way it can be wrong. `bizPointer` is the `@reference_id=='…'` form PayPal
 * uses in 422 details. Returns minor units, or undefined when unusable.
 */
export function readMoney(
  raw: unknown, pointer: string, bizPointer: string, orderCurrency: string | undefined, problems: Problems,
): { minor: bigint; canonical: Money } | undefined {
  if (!isObject(raw)) {
    problems.schema.push({ field: pointer, location: 'body', issue: raw === undefined ? 'MISSING_REQUIRED_PARAMETER' : 'INVALID_PARAMETER_SYNTAX', description: raw === undefined ? 'A required field / parameter is missing.' : 'The value of a field does not conform to the expected format.' });
    return undefined;
  }
  const { currency_code: currency, value } = raw;
  if (currency === undefined || value === undefined) {
    const field = currency === undefined ? 'currency_code' : 'value';
    problems.schema.push({ field: `${pointer}/${field}`, location: 'body', issue: 'MISSING_REQUIRED_PARAMETER', description: 'A required field / parameter is missing.' });
    return undefined;
  }
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    problems.business.push({ field: `${bizPointer}/currency_code`, value: String(currency), location: 'body', issue: 'INVALID_CURRENCY_CODE', description: 'Currency code is invalid or is not currently supported. Please refer https://developer.paypal.com/api/rest/reference/currency-codes/ for list of supported currency codes.' });
    return undefined;
  }
  if (!PAYPAL_CURRENCIES.has(currency)) {
    problems.business.push({ field: `${bizPointer}/currency_code`, value: currency, location: 'body', issue: 'CURRENCY_NOT_SUPPORTED', description: 'Currency code is not currently supported. Please refer https://developer.paypal.com/api/rest/reference/currency-codes/ for list of supported currency codes.' });
    return undefined;
  }
  if (!isMoneySyntax(value)) {
    problems.schema.push({ field: `${pointer}/value`, value: String(value), location: 'body', issue: 'INVALID_PARAMETER_SYNTAX', description: 'The value of a field does not conform to the expected format (a decimal string such as "10.00").' });
    return undefined;
  }
  if (orderCurrency !== undefined && currency !== orderCurrency) {
    problems.business.push({ field: `${bizPointer}/currency_code`, value: currency, location: 'body', issue: 'MULTI_CURRENCY_ORDER', description: 'Multiple differing values of currency_code are not supported. Entire Order request must have the same currency_code.' });
    return undefined;
  }
  const problem = moneyProblem(value, currency);
  if (problem === 'DECIMAL_PRECISION') {
    const digits = currencyDigits(currency);
    problems.business.push({ field: `${bizPointer}/value`, value, location: 'body', issue: 'DECIMAL_PRECISION', description: digits === 0 ? `The value of the field should not have any decimals for ${currency}.` : 'If the currency supports decimals, only two decimal place precision is supported.' });
    return undefined;
  }
  if (problem === 'MAX_VALUE_EXCEEDED') {
    problems.business.push({ field: `${bizPointer}/value`, value, location: 'body', issue: 'MAX_VALUE_EXCEEDED', description: 'Should be less than or equal to 999999999999999.99.' });
    return undefined;
  }
  const minor = toMinor(value, currencyDigits(currency));
  return { minor, canonical: money(minor, currency) };
}

/** Result of checking `amount` (with breakdown) against the items. */
export interface CheckedAmount {
  currency: string;
  minor: bigint;
  canonical: Json;
}

/**
 * Validates `purchase_units[0].amount` and its `breakdown` against the
 * item lines: `ITEM_TOTAL_REQUIRED`, `ITEM_TOTAL_MISMATCH`,
 * `TAX_TOTAL_MISMATCH`, `AMOUNT_MISMATCH`, negative and zero amounts.
 */
export function checkAmount(
  raw: unknown, itemSums: { items: bigint; tax: bigint; hasItems: boolean; hasTax: boolean } | undefined,
  base: string, biz: string, problems: Problems,
): CheckedAmount | undefined {
  const total = readMoney(raw, `${base}/amount`, `${biz}/amount`, undefined, problems);
  if (!total) return undefined;
  const currency = total.canonical.currency_code;
  if (total.minor <= 0n) {
    problems.business.push({ field: `${biz}/amount/value`, value: total.canonical.value, location: 'body', issue: 'CANNOT_BE_ZERO_OR_NEGATIVE', description: 'Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.' });
  }
  const canonical: Json = { ...total.canonical };
  const breakdownRaw = (raw as Json).breakdown;
  if (breakdownRaw === undefined) {
    if (itemSums?.hasItems) problems.business.push({ field: `${biz}/amount/breakdown/item_total`, location: 'body', issue: 'ITEM_TOTAL_REQUIRED', description: 'If item details are specified (items.unit_amount and items.quantity) corresponding amount.breakdown.item_total is required.' });
    return { currency, minor: total.minor, canonical };
  }
  if (!isObject(breakdownRaw)) {
    problems.schema.push({ field: `${base}/amount/breakdown`, location: 'body', issue: 'INVALID_PARAMETER_SYNTAX', description: 'The value of a field does not conform to the expected format.' });
    return undefined;
  }
  const parts: Partial<Record<string, bigint>> = {};
  const breakdown: Json = {};
  for (const key of [...BREAKDOWN_ADD, ...BREAKDOWN_SUB]) {
    if (breakdownRaw[key] === undefined) continue;
    const part = readMoney(breakdownRaw[key], `${base}/amount/breakdown/${key}`, `${biz}/amount/breakdown/${key}`, currency, problems);
    if (!part) continue;
    if (part.minor < 0n) problems.business.push({ field: `${biz}/amount/breakdown/${key}/value`, value: part.canonical.value, location: 'body', issue: 'CANNOT_BE_NEGATIVE', description: 'Must be greater than or equal to 0. If the currency supports decimals, only two decimal place precision is supported.' });
    parts[key] = part.minor;
    breakdown[key] = part.canonical;
  }
  canonical.breakdown = breakdown;
  // Totals are only compared once every line read cleanly, so one bad line does not also report a mismatch.
  const clean = problems.business.length === 0 && problems.schema.length === 0;
  if (itemSums?.hasItems && parts.item_total === undefined) {
    problems.business.push({ field: `${biz}/amount/breakdown/item_total`, location: 'body', issue: 'ITEM_TOTAL_REQUIRED', description: 'If item details are specified (items.unit_amount and items.quantity) corresponding amount.breakdown.item_total is required.' });
  } else if (clean && itemSums?.hasItems && parts.item_total !== itemSums.items) {
    problems.business.push({ field: `${biz}/amount/breakdown/item_total/value`, value: (breakdown.item_total as Money).value, location: 'body', issue: 'ITEM_TOTAL_MISMATCH', description: 'Should equal sum of (unit_amount * quantity) across all items for a given purchase_unit.' });
  }
  if (itemSums?.hasTax && parts.tax_total === undefined) {
    problems.business.push({ field: `${biz}/amount/breakdown/tax_total`, location: 'body', issue: 'TAX_TOTAL_REQUIRED', description: 'If item details are specified (items.tax_total and items.quantity) corresponding amount.breakdown.tax_total is required.' });
  } else if (clean && itemSums?.hasTax && parts.tax_total !== itemSums.tax) {
    problems.business.push({ field: `${biz}/amount/breakdown/tax_total/value`, location: 'body', issue: 'TAX_TOTAL_MISMATCH', description: 'Should equal sum of (tax * quantity) across all items for a given purchase_unit.' });
  }
  const sum = BREAKDOWN_ADD.reduce((acc, k) => acc + (parts[k] ?? 0n), 0n) - BREAKDOWN_SUB.reduce((acc, k) => acc + (parts[k] ?? 0n), 0n);
  if (problems.business.length === 0 && problems.schema.length === 0 && sum !== total.minor) {
    problems.business.push({ field: `${biz}/amount/value`, value: total.canonical.value, location: 'body', issue: 'AMOUNT_MISMATCH', description: 'Should equal item_total + tax_total + shipping + handling + insurance - shipping_discount - discount.' });
  }
  return { currency, minor: total.minor, canonical };
}
