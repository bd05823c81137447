import { BadUserInputError } from './errors';

/** What redirect URLs may be: https always; plain http only to localhost in sandbox/development; optionally an origin allowlist. */
export interface RedirectPolicy {
  allowedOrigins?: string[];
  allowPlainHttpLocalhost: boolean;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks a success/cancel/return URL (CONTRACT §2 "Redirect URLs") and returns it normalised.
 * Every refusal names the field and says what would be accepted.
 */
export function validateRedirectUrl(value: string, field: string, policy: RedirectPolicy): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) {
    throw new BadUserInputError(`${field} must be an absolute https:// URL of at most 2048 characters`, field);
  }
  // URL parsing silently strips leading/trailing spaces and tabs/newlines inside; providers and
  // browsers may read such a value differently from us, so it is refused rather than passed on.
  if (/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(value)) {
    throw new BadUserInputError(`${field} must not contain spaces or control characters`, field);
  }
  // Stripe's {CHECKOUT_SESSION_ID} placeholder is not valid URL syntax everywhere; check the URL with it filled in.
  const probe = value.replaceAll('{CHECKOUT_SESSION_ID}', 'cs_placeholder');
  if (!URL.canParse(probe)) throw new BadUserInputError(`${field} '${value.slice(0, 100)}' is not an absolute URL`, field);
  const url = new URL(probe);
  if (url.username || url.password) throw new BadUserInputError(`${field} must not contain credentials`, field);
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local && policy.allowPlainHttpLocalhost)) {
    throw new BadUserInputError(
      policy.allowPlainHttpLocalhost
        ? `${field} must use https:// (plain http:// is accepted only for localhost in sandbox/development mode)`
        : `${field} must use https://`,
      field,
    );
  }
  if (policy.allowedOrigins && !policy.allowedOrigins.includes(url.origin)) {
    throw new BadUserInputError(`${field} origin ${url.origin} is not in ALLOWED_REDIRECT_ORIGINS`, field);
  }
  return value;
}
