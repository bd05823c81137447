/**
 * Which provider calls a fault applies to, without regular expressions (a caller's regex could
 * backtrack for seconds): `"POST /v1/refunds"` matches that call exactly; a pattern without a
 * method matches the path for every method; `*` stands for any characters within one path segment
 * (`"POST /v2/payments/captures/*\/refund"`).
 */
export const CALL_PATTERN_SYNTAX = /^(?:[A-Z]{3,7} )?\/[\x21-\x7e]{0,199}$/;

/** `*` matches any run of characters in `text` (one segment, so never a '/'); the rest is literal. */
function segmentMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === text[t] && pattern[p] !== '*') {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** True when `pattern` (see above) covers the call `method path`. */
export function callMatches(pattern: string, method: string, path: string): boolean {
  const space = pattern.indexOf(' ');
  if (space >= 0 && pattern.slice(0, space) !== method) return false;
  const patternSegments = pattern.slice(space + 1).split('/');
  const pathSegments = path.split('/');
  return patternSegments.length === pathSegments.length && patternSegments.every((s, i) => segmentMatches(s, pathSegments[i]));
}
