import { PayPalApiError, unsupported } from './paypal.errors';
import { checkAmount, type Problems } from './paypal.amount.validation';
import { readItems } from './paypal.items.validation';
import { isObject, missing, readEnum, readString } from './paypal.field.validation';
import type { PurchaseUnitRecord } from './paypal.state';

type Json = Record<string, unknown>;

/** What a valid create-order request boils down to. */
export interface CreateOrderInput {
  intent: 'CAPTURE' | 'AUTHORIZE';
  currency: string;
  amountMinor: bigint;
  purchaseUnit: Omit<PurchaseUnitRecord, 'payee'>;
  returnUrl?: string;
  cancelUrl?: string;
  brandName?: string;
  paymentSourcePaypal: boolean;
}

const USER_ACTIONS = ['CONTINUE', 'PAY_NOW'];
const SHIPPING_PREFERENCES = ['GET_FROM_FILE', 'NO_SHIPPING', 'SET_PROVIDED_ADDRESS'];

function readUrl(src: Json, key: string, pointer: string, problems: Problems): string | undefined {
  const value = readString(src, key, pointer, 10, 4000, problems);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    problems.schema.push({ field: `${pointer}/${key}`, value, location: 'body', issue: 'INVALID_PARAMETER_SYNTAX', description: 'The value of a field does not conform to the expected format (an absolute http(s) URL).' });
    return undefined;
  }
  return value;
}

/**
 * Validates a create-order body the way PayPal does and normalises it.
 * Throws a PayPal-shaped 400 (schema problems) or 422 (business rules),
 * listing every problem found, as PayPal's `details[]` does.
 */
export function parseCreateOrder(body: unknown): CreateOrderInput {
  const problems: Problems = { schema: [], business: [] };
  if (!isObject(body)) throw new PayPalApiError(400, [{ issue: 'MALFORMED_REQUEST_JSON', location: 'body', description: 'The request JSON is not well formed.' }], 'orders');
  if (body.intent === undefined) problems.schema.push(missing('/intent'));
  else if (body.intent !== 'CAPTURE' && body.intent !== 'AUTHORIZE') problems.schema.push({ field: '/intent', value: String(body.intent), location: 'body', issue: 'INVALID_PARAMETER_VALUE', description: 'A parameter value is not valid (CAPTURE or AUTHORIZE).' });
  const units = body.purchase_units;
  if (units === undefined) problems.schema.push(missing('/purchase_units'));
  else if (!Array.isArray(units)) problems.schema.push({ field: '/purchase_units', location: 'body', issue: 'INVALID_PARAMETER_SYNTAX', description: 'The value of a field does not conform to the expected format (an array).' });
  else if (units.length === 0) problems.schema.push({ field: '/purchase_units', location: 'body', issue: 'INVALID_ARRAY_MIN_ITEMS', description: 'The number of items in an array parameter is too small.' });
  else if (units.length > 10) problems.schema.push({ field: '/purchase_units', location: 'body', issue: 'INVALID_ARRAY_MAX_ITEMS', description: 'The number of items in an array parameter is too large.' });
  else if (units.length > 1) throw unsupported('orders', '/purchase_units', 'More than one purchase unit per order');
  if (body.payment_source !== undefined && !(isObject(body.payment_source) && Object.keys(body.payment_source).length === 1 && isObject(body.payment_source.paypal))) {
    throw unsupported('orders', '/payment_source', 'A payment_source other than `paypal`');
  }
  const unit = Array.isArray(units) && isObject(units[0]) ? units[0] : undefined;
  if (Array.isArray(units) && units.length === 1 && !unit) problems.schema.push(missing('/purchase_units/0'));
  const ref = unit && typeof unit.reference_id === 'string' ? unit.reference_id : 'default';
  const base = '/purchase_units/0';
  const biz = `/purchase_units/@reference_id=='${ref}'`;
  let result: CreateOrderInput | undefined;
  if (unit) {
    const rawCurrency = isObject(unit.amount) && typeof unit.amount.currency_code === 'string' ? unit.amount.currency_code : undefined;
    const { items, sums } = readItems(unit.items, rawCurrency, base, biz, problems);
    const amount = unit.amount === undefined ? (problems.schema.push(missing(`${base}/amount`)), undefined) : checkAmount(unit.amount, sums, base, biz, problems);
    const pu: CreateOrderInput['purchaseUnit'] = { reference_id: readString(unit, 'reference_id', base, 1, 256, problems) ?? 'default', amount: amount?.canonical ?? {} };
    for (const key of ['description', 'custom_id', 'invoice_id', 'soft_descriptor'] as const) {
      const v = readString(unit, key, base, 1, key === 'soft_descriptor' ? 22 : 127, problems);
      if (v !== undefined) pu[key] = v;
    }
    if (items) pu.items = items;
    if (isObject(unit.shipping)) pu.shipping = unit.shipping;
    result = { intent: body.intent === 'AUTHORIZE' ? 'AUTHORIZE' : 'CAPTURE', currency: amount?.currency ?? '', amountMinor: amount?.minor ?? 0n, purchaseUnit: pu, paymentSourcePaypal: false };
  }
  const context = readExperience(body, problems);
  if (problems.schema.length > 0) throw new PayPalApiError(400, problems.schema, 'orders');
  if (problems.business.length > 0) throw new PayPalApiError(422, problems.business, 'orders');
  if (!result) throw new PayPalApiError(400, [missing('/purchase_units')], 'orders');
  return { ...result, ...context };
}

/** `application_context` (classic) or `payment_source.paypal.experience_context` (current). */
function readExperience(body: Json, problems: Problems): Pick<CreateOrderInput, 'returnUrl' | 'cancelUrl' | 'brandName' | 'paymentSourcePaypal'> {
  const paypal = isObject(body.payment_source) && isObject(body.payment_source.paypal) ? body.payment_source.paypal : undefined;
  const experience = paypal && isObject(paypal.experience_context) ? paypal.experience_context : undefined;
  const classic = isObject(body.application_context) ? body.application_context : undefined;
  const src = experience ?? classic;
  const pointer = experience ? '/payment_source/paypal/experience_context' : '/application_context';
  if (!src) return { paymentSourcePaypal: Boolean(paypal) };
  readEnum(src, 'user_action', pointer, USER_ACTIONS, problems);
  readEnum(src, 'shipping_preference', pointer, SHIPPING_PREFERENCES, problems);
  return {
    returnUrl: readUrl(src, 'return_url', pointer, problems),
    cancelUrl: readUrl(src, 'cancel_url', pointer, problems),
    brandName: readString(src, 'brand_name', pointer, 1, 127, problems),
    paymentSourcePaypal: Boolean(paypal),
  };
}
