import { createHmac } from 'node:crypto';

/**
 * What a key was first used for: a keyed hash of the operation and one of every variable leaf
 * (`input.items[0].quantity`), so a reuse can be refused with a message naming what differs
 * without the variables themselves ever being stored.
 */
export interface RequestFingerprint {
  operation: string;
  variables: Record<string, string>;
}

/** `operation` is the operation's canonical text; `variables` as the client sent them. */
export function fingerprintRequest(key: Buffer, operation: string, variables: Record<string, unknown> | undefined): RequestFingerprint {
  const mac = (value: string) => createHmac('sha256', key).update(value, 'utf8').digest('base64url').slice(0, 22);
  const leaves: Record<string, string> = {};
  for (const [path, value] of flatten(variables ?? {}, '')) leaves[path] = mac(`${path}=${JSON.stringify(value)}`);
  return { operation: mac(operation), variables: leaves };
}

/** `undefined` when both are the same request; otherwise what differs, for the CONFLICT message. */
export function describeDifference(first: RequestFingerprint, now: RequestFingerprint): string | undefined {
  if (first.operation !== now.operation) return 'another operation (a different mutation, arguments or selected fields)';
  const paths = new Set([...Object.keys(first.variables), ...Object.keys(now.variables)]);
  const differing = [...paths].filter((p) => first.variables[p] !== now.variables[p]).sort();
  return differing.length > 0 ? `different variables: ${differing.join(', ')}` : undefined;
}

function* flatten(value: unknown, path: string): Generator<[string, unknown]> {
  if (Array.isArray(value) && value.length > 0) {
    for (const [i, item] of value.entries()) yield* flatten(item, `${path}[${i}]`);
  } else if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    for (const [k, item] of Object.entries(value)) yield* flatten(item, path ? `${path}.${k}` : k);
  } else {
    yield [path || '(variables)', value];
  }
}
