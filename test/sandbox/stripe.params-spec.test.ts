/**
 * The sandbox accepts only parameters Stripe's published API has: every parameter shape of every
 * Stripe route is walked against the request schema of the same path and method in spec3.json.
 */
import { CHARGE_SHAPES } from '../../src/sandbox/stripe/charges.routes';
import { CHECKOUT_SESSION_SHAPES } from '../../src/sandbox/stripe/checkout-sessions.routes';
import { PAYMENT_INTENT_SHAPES } from '../../src/sandbox/stripe/payment-intents.routes';
import { REFUND_SHAPES } from '../../src/sandbox/stripe/refunds.routes';
import type { Shape } from '../../src/sandbox/stripe/stripe.params';
import { requestSchema, specOperation, specParameterProblems } from '../helpers/stripe-spec';

/** Named by stripe-node 23's API version (2026), after the 2023 spec3.json: documented, just newer. */
const NEWER_THAN_SPEC = new Set(['allowed_payment_method_types']);

/** A sample form value for every leaf of a shape, so the spec check sees every key path. */
function sample(shape: Shape): unknown {
  if (shape === 'metadata') return { key: 'value' };
  if (shape === 'integer') return 1;
  if (shape === 'boolean') return true;
  if (shape === 'string') return 'x';
  if ('enum' in shape) return shape.enum[0];
  if ('array' in shape) return [sample(shape.array)];
  return Object.fromEntries(Object.entries(shape.object).filter(([k]) => !NEWER_THAN_SPEC.has(k)).map(([k, v]) => [k, sample(v)]));
}

const routes = { ...CHARGE_SHAPES, ...CHECKOUT_SESSION_SHAPES, ...PAYMENT_INTENT_SHAPES, ...REFUND_SHAPES };

describe('the Stripe sandbox takes no parameter outside spec3.json', () => {
  test.each(Object.entries(routes))('%s', (route, shape) => {
    const [method, path] = route.split(' ');
    const found = specOperation(method, path);
    expect(found?.template).toBe(path);
    expect(specParameterProblems(requestSchema(method, found!.operation), sample({ object: shape }))).toEqual([]);
  });

  test('the check itself finds a parameter the spec lacks', () => {
    const schema = requestSchema('POST', specOperation('POST', '/v1/payment_intents')!.operation);
    expect(specParameterProblems(schema, { amount: 1, payment_method_data: { type: 'card', card: { token: 'tok_visa' } } })).toEqual(['payment_method_data[card]']);
  });
});
