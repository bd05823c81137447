import type { ErrorDetail } from './paypal.errors';
import type { Problems } from './paypal.amount.validation';

type Json = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PayPal's detail for an absent required field. */
export function missing(field: string): ErrorDetail {
  return { field, location: 'body', issue: 'MISSING_REQUIRED_PARAMETER', description: 'A required field / parameter is missing.' };
}

/** Optional string field with PayPal's length limits (`INVALID_STRING_LENGTH`). */
export function readString(src: Json, key: string, pointer: string, min: number, max: number, problems: Problems): string | undefined {
  const value = src[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    problems.schema.push({ field: `${pointer}/${key}`, location: 'body', issue: 'INVALID_PARAMETER_SYNTAX', description: 'The value of a field does not conform to the expected format.' });
    return undefined;
  }
  if (value.length < min || value.length > max) {
    problems.schema.push({ field: `${pointer}/${key}`, value, location: 'body', issue: 'INVALID_STRING_LENGTH', description: `The value of a field is either too short or too long (${min}–${max}).` });
  }
  return value;
}

/** Optional enum field (`INVALID_PARAMETER_VALUE`). */
export function readEnum(src: Json, key: string, pointer: string, allowed: string[], problems: Problems): void {
  const value = src[key];
  if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
    problems.schema.push({ field: `${pointer}/${key}`, value: String(value), location: 'body', issue: 'INVALID_PARAMETER_VALUE', description: `A parameter value is not valid (one of ${allowed.join(', ')}).` });
  }
}

