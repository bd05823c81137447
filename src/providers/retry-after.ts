/**
 * A `Retry-After` header (seconds, or an HTTP date) in milliseconds; undefined when absent or
 * unreadable. Providers send it with a rate-limit answer to say when to come back.
 */
export function retryAfterMs(headers: Record<string, unknown> | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'retry-after');
  const raw = key === undefined ? undefined : headers[key];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
