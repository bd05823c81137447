/** GraphQL over fetch, and turning any failure into a sentence a person can act on. */

/** A failed GraphQL operation: `code` is `extensions.code` (or NETWORK), `providerCode` the provider's. */
export class ApiError extends Error {
  constructor(message, code, extensions = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.extensions = extensions;
    this.providerCode = extensions.providerCode;
  }
}

/**
 * A fresh Idempotency-Key for one user action (one click). 128 random bits as 32 hex characters:
 * long enough for calls without an Authorization header, and crypto.getRandomValues works on plain
 * http origins too, where crypto.randomUUID does not.
 */
export function newIdempotencyKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A lost connection or a key still in use is retried, with the same key, this many times. */
const IDEMPOTENT_RETRIES = 3;

/**
 * POSTs one operation to /graphql; `bearer` is an order access token or the admin key. With an
 * `idempotencyKey` (mutations), a lost answer or IDEMPOTENCY_KEY_IN_USE is retried with the same
 * key: the server runs the mutation once and answers the retry with the first result.
 */
export async function gql(query, variables = {}, bearer, { idempotencyKey } = {}) {
  for (let attempt = 0; ; attempt++) {
    const canRetry = idempotencyKey !== undefined && attempt < IDEMPOTENT_RETRIES;
    let response;
    try {
      response = await fetch('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
    } catch {
      if (canRetry) {
        await pause(500 * (attempt + 1));
        continue;
      }
      throw new ApiError('The shop could not be reached. Check your connection and try again.', 'NETWORK');
    }
    let body;
    try {
      body = await response.json();
    } catch {
      throw new ApiError(`The shop answered with an unexpected response (HTTP ${response.status}). Please try again.`, 'NETWORK');
    }
    const error = body.errors?.[0];
    if (error?.extensions?.reason === 'IDEMPOTENCY_KEY_IN_USE' && canRetry) {
      await pause(1000 * Number(response.headers.get('retry-after') ?? 1));
      continue;
    }
    if (error) throw new ApiError(error.message, error.extensions?.code ?? 'INTERNAL_SERVER_ERROR', error.extensions ?? {});
    return body.data;
  }
}

function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const DECLINES = {
  card_declined: 'Your card was declined',
  insufficient_funds: 'Your card has insufficient funds',
  expired_card: 'Your card has expired',
  incorrect_cvc: "Your card's security code is incorrect",
  incorrect_number: 'Your card number is incorrect',
  processing_error: 'The card could not be processed',
  authentication_required: 'Your bank needs you to authenticate this payment',
  payment_intent_authentication_failure: 'The card authentication (3-D Secure) failed',
  INSTRUMENT_DECLINED: 'PayPal declined this payment method',
  PAYER_ACTION_REQUIRED: 'PayPal needs you to approve the payment again',
  ORDER_NOT_APPROVED: 'The PayPal payment was not approved',
};

/** "Your card was declined (card_declined)" for a provider failure code. */
export function describeDecline(code, fallback) {
  if (!code) return fallback || 'The payment was declined';
  return `${DECLINES[code] ?? fallback ?? 'The payment was declined'} (${code})`;
}

/** The sentence to show for any error thrown by {@link gql} (never JSON, never a stack). */
export function describeError(error) {
  if (!(error instanceof ApiError)) return 'Something went wrong in this page. Please reload and try again.';
  switch (error.code) {
    case 'PROVIDER_ERROR':
      if (!error.providerCode) return 'The payment provider could not process the request. Please try again.';
      // A code we have no words for (an unknown token is `resource_missing`) is not a decline: the provider's message says what was wrong.
      if (!(error.providerCode in DECLINES)) return `${error.message.replace(/\.$/, '')} (${error.providerCode}).`;
      return `${describeDecline(error.providerCode)}.`;
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
      return 'You do not have access to this. Check the key or open the link from the browser you ordered with.';
    case 'NOT_FOUND':
      return 'That order does not exist.';
    case 'RATE_LIMITED':
      return 'Too many requests right now. Wait a moment and try again.';
    case 'INTERNAL_SERVER_ERROR':
      return 'Something went wrong on our side. Please try again.';
    default:
      return error.message;
  }
}
