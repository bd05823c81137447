/**
 * Stripe's published API (spec3.json, beside the repository in shared/reference) as a check on
 * request parameters: which parameter names a path and method accept, nested as the form encodes
 * them. Values are not checked here, only that every parameter exists in the spec.
 */
import { readFileSync } from 'node:fs';
import { reference } from './reference';

/** The part of an OpenAPI schema the check reads. */
export interface SpecSchema {
  properties?: Record<string, SpecSchema>;
  additionalProperties?: boolean | SpecSchema;
  anyOf?: SpecSchema[];
  items?: SpecSchema;
  type?: string;
}

interface SpecOperation {
  parameters?: { in: string; name: string; schema?: SpecSchema }[];
  requestBody?: { content: Record<string, { schema: SpecSchema }> };
}

let paths: Record<string, Record<string, SpecOperation>> | undefined;

function specPaths(): Record<string, Record<string, SpecOperation>> {
  paths ??= (JSON.parse(readFileSync(reference('stripe', 'spec3.json'), 'utf8')) as { paths: Record<string, Record<string, SpecOperation>> }).paths;
  return paths;
}

/** The spec's operation for a concrete request (`/v1/payment_intents/pi_1/cancel` → `/v1/payment_intents/{intent}/cancel`). */
export function specOperation(method: string, path: string): { template: string; operation: SpecOperation } | undefined {
  const verb = method.toLowerCase();
  // A literal path beats a templated one (`/v1/checkout/sessions` vs `/v1/checkout/{x}`).
  const literal = specPaths()[path]?.[verb];
  if (literal) return { template: path, operation: literal };
  const segments = path.split('/');
  for (const [template, operations] of Object.entries(specPaths())) {
    const parts = template.split('/');
    if (parts.length !== segments.length || !operations[verb]) continue;
    if (parts.every((p, i) => p === segments[i] || (p.startsWith('{') && segments[i] !== ''))) return { template, operation: operations[verb] };
  }
  return undefined;
}

/** The body schema of an operation, or a schema made of its query parameters (GET/DELETE). */
export function requestSchema(method: string, operation: SpecOperation): SpecSchema {
  if (method === 'GET' || method === 'DELETE') {
    const properties: Record<string, SpecSchema> = {};
    for (const p of operation.parameters ?? []) if (p.in === 'query') properties[p.name] = p.schema ?? {};
    return { type: 'object', properties };
  }
  return operation.requestBody?.content['application/x-www-form-urlencoded']?.schema ?? { type: 'object', properties: {} };
}

function alternatives(schema: SpecSchema): SpecSchema[] {
  return schema.anyOf ? schema.anyOf.flatMap(alternatives) : [schema];
}

/** Every parameter path in `params` (a decoded form) that the schema does not have, e.g. `payment_method_data[card]`. */
export function specParameterProblems(schema: SpecSchema, params: unknown, prefix = ''): string[] {
  if (params === null || typeof params !== 'object') return [];
  const options = alternatives(schema);
  if (Array.isArray(params)) {
    const items = options.map((o) => o.items).filter((i): i is SpecSchema => Boolean(i));
    if (items.length === 0) return [prefix || '(body)'];
    return params.flatMap((value, i) => best(items.map((item) => specParameterProblems(item, value, `${prefix}[${i}]`))));
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    const holders = options.filter((o) => o.properties?.[key]);
    if (holders.length > 0) {
      problems.push(...best(holders.map((h) => specParameterProblems(h.properties![key], value, name))));
      continue;
    }
    const open = options.find((o) => o.additionalProperties);
    if (open) {
      if (typeof open.additionalProperties === 'object') problems.push(...specParameterProblems(open.additionalProperties, value, name));
      continue;
    }
    problems.push(name);
  }
  return problems;
}

/** Of several alternatives (anyOf), the one that fits best. */
function best(candidates: string[][]): string[] {
  return candidates.reduce((a, b) => (b.length < a.length ? b : a));
}
