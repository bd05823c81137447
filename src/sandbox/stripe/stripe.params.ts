import { invalidRequest } from './stripe.errors';
import type { FormParams, FormValue } from './stripe.form';

/** The accepted shape of a request parameter. */
export type Shape =
  | 'string'
  | 'integer'
  | 'boolean'
  | 'metadata'
  | { enum: readonly string[] }
  | { array: Shape }
  | { object: Record<string, Shape> };

type Value = string | number | boolean | Value[] | { [k: string]: Value };

const unknownParam = (name: string) =>
  invalidRequest(`Received unknown parameter: ${name} (not supported by the sandbox)`, name, 'parameter_unknown');

function check(value: FormValue, shape: Shape, name: string): Value | undefined {
  // stripe-node sends `null` as an empty string: for a scalar it means "not set".
  if (value === '' && shape !== 'string') return shape === 'metadata' ? {} : undefined;
  if (shape === 'string' || shape === 'integer' || shape === 'boolean' || (typeof shape === 'object' && 'enum' in shape)) {
    if (typeof value !== 'string') throw invalidRequest(`Invalid ${shape === 'string' ? 'string' : 'value'}: ${name} must be a scalar`, name);
    if (shape === 'integer') {
      if (!/^-?\d+$/.test(value)) throw invalidRequest(`Invalid integer: ${value}`, name);
      return Number(value);
    }
    if (shape === 'boolean') {
      if (value !== 'true' && value !== 'false') throw invalidRequest(`Invalid boolean: ${value}`, name);
      return value === 'true';
    }
    if (typeof shape === 'object' && !shape.enum.includes(value)) {
      throw invalidRequest(`Invalid ${name}: must be one of ${shape.enum.join(', ')} (other values are not supported by the sandbox)`, name);
    }
    return value;
  }
  if (shape === 'metadata') {
    if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`Invalid object`, name);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'string') throw invalidRequest(`Invalid value for metadata key ${k}: must be a string`, `${name}[${k}]`);
      if (k.length > 40) throw invalidRequest(`Metadata keys can have a maximum length of 40 characters.`, `${name}[${k}]`);
      if (v.length > 500) throw invalidRequest(`Metadata values can have up to 500 characters, but you passed in a value that is ${v.length} characters.`, `${name}[${k}]`);
      if (v !== '') out[k] = v;
    }
    if (Object.keys(out).length > 50) throw invalidRequest('You can specify up to 50 keys in metadata.', name);
    return out;
  }
  if ('array' in shape) {
    const items = Array.isArray(value) ? value : typeof value === 'object' ? Object.values(value) : undefined;
    if (!items) throw invalidRequest(`Invalid array`, name);
    return items.map((v, i) => check(v, shape.array, `${name}[${i}]`) as Value);
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`Invalid object`, name);
  return validateObject(value, shape.object, name);
}

function validateObject(input: FormParams, shape: Record<string, Shape>, prefix: string): { [k: string]: Value } {
  const out: { [k: string]: Value } = {};
  for (const [key, value] of Object.entries(input)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    const s = shape[key];
    if (!s) throw unknownParam(name);
    const v = check(value, s, name);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** Validated parameters with typed, path-aware accessors (errors name the Stripe param path). */
export class Params {
  private constructor(
    private readonly data: { [k: string]: Value },
    private readonly prefix: string,
  ) {}

  /** Reject unknown keys and wrongly typed values against `shape`. */
  static parse(input: FormParams, shape: Record<string, Shape>): Params {
    return new Params(validateObject(input, shape, ''), '');
  }

  private name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.data[key] !== undefined;
  }
  str(key: string): string | undefined {
    const v = this.data[key];
    return typeof v === 'string' && v !== '' ? v : undefined;
  }
  int(key: string): number | undefined {
    const v = this.data[key];
    return typeof v === 'number' ? v : undefined;
  }
  bool(key: string): boolean | undefined {
    const v = this.data[key];
    return typeof v === 'boolean' ? v : undefined;
  }
  metadata(key = 'metadata'): Record<string, string> {
    return { ...((this.data[key] as Record<string, string> | undefined) ?? {}) };
  }
  strings(key: string): string[] | undefined {
    return this.data[key] as string[] | undefined;
  }
  obj(key: string): Params | undefined {
    const v = this.data[key];
    return v && typeof v === 'object' && !Array.isArray(v) ? new Params(v, this.name(key)) : undefined;
  }
  objs(key: string): Params[] | undefined {
    const v = this.data[key] as { [k: string]: Value }[] | undefined;
    return v?.map((o, i) => new Params(o, `${this.name(key)}[${i}]`));
  }
  reqStr(key: string): string {
    return this.str(key) ?? this.missing(key);
  }
  reqInt(key: string): number {
    return this.int(key) ?? this.missing(key);
  }
  reqObj(key: string): Params {
    return this.obj(key) ?? this.missing(key);
  }
  missing(key: string): never {
    throw invalidRequest(`Missing required param: ${this.name(key)}.`, this.name(key), 'parameter_missing');
  }
  /** An error about one of these params, for checks beyond the shape. */
  invalid(key: string, message: string, code?: string): never {
    throw invalidRequest(message, this.name(key), code);
  }
}

/** `expand[]` is accepted by every endpoint. */
export const EXPAND: Shape = { array: 'string' };
