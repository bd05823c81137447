/**
 * Validate sandbox responses against Stripe's official OpenAPI 3.0 schemas
 * (spec3.json, API 2023-08-16). OpenAPI's `nullable` becomes a JSON-schema
 * null alternative; `additionalProperties: false` is dropped because newer
 * API versions add fields the 2023 spec lacks.
 */
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { reference } from '../helpers/reference';

const SPEC_PATH = reference('stripe', 'spec3.json');

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === 'nullable' || k.startsWith('x-') || (k === 'additionalProperties' && v === false)) continue;
    out[k] = convert(v);
  }
  if ((node as { nullable?: boolean }).nullable) {
    if (typeof out.type === 'string' && !out.anyOf) {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();

/** A validator for `components.schemas[name]`, compiled once. */
export function stripeSchema(name: string): ValidateFunction {
  if (!ajv) {
    const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as { components: { schemas: Record<string, unknown> } };
    ajv = new Ajv({ strict: false, allErrors: true, formats: { 'unix-time': true, decimal: true } });
    addFormats(ajv);
    ajv.addSchema({ $id: 'stripe', components: { schemas: convert(spec.components.schemas) } });
  }
  let v = cache.get(name);
  if (!v) {
    v = ajv.getSchema(`stripe#/components/schemas/${name}`)!;
    cache.set(name, v);
  }
  return v;
}

/** Throw with ajv's messages unless `value` matches the named Stripe schema. */
export function expectStripeSchema(name: string, value: unknown): void {
  const v = stripeSchema(name);
  if (!v(value)) throw new Error(`${name} does not match spec3.json: ${JSON.stringify(v.errors?.slice(0, 5), null, 1)}`);
}
