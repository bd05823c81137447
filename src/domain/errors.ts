/**
 * Typed application errors with stable codes (CONTRACT §2 "Errors").
 * They are mapped to GraphQL `extensions.code` in exactly one place
 * (src/graphql/error-formatter.ts); nothing else formats errors.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PROVIDER_ERROR'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

/** Base class: `code` is stable, `details` become extra GraphQL extensions. */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Invalid input; `field` names the offending input path, e.g. `input.items[0].quantity`. */
export class BadUserInputError extends AppError {
  readonly code = 'BAD_USER_INPUT' as const;
  constructor(message: string, readonly field?: string) {
    super(message, field ? { field } : {});
  }
}

/**
 * A provider this server has no configuration for. To a GraphQL client it is bad input on the
 * `provider` field (BAD_USER_INPUT); a webhook for it has no route here (404).
 */
export class ProviderNotConfiguredError extends BadUserInputError {
  constructor(provider: string, variables: string) {
    super(`${provider} payments are not configured on this server (set ${variables}, or run with SANDBOX=auto)`, 'provider');
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED' as const;
  constructor(message = 'Authentication required: send Authorization: Bearer <admin key or order access token>') {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN' as const;
  constructor(message = 'Not allowed for these credentials') {
    super(message);
  }
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND' as const;
  constructor(what: string, id: string) {
    super(`${what} ${id} not found`, { resource: what });
  }
}

/** Illegal state transition, refund exceeding what is left, concurrent modification. */
export class ConflictError extends AppError {
  readonly code = 'CONFLICT' as const;
}

/** The provider refused or failed. `providerCode` is the provider's own code (`card_declined`, `INSTRUMENT_DECLINED`). */
export class ProviderError extends AppError {
  readonly code = 'PROVIDER_ERROR' as const;
  constructor(
    message: string,
    readonly provider: 'STRIPE' | 'PAYPAL',
    readonly providerCode?: string,
    /** true when the outcome is unknown (timeout, 5xx): the same idempotency key must be retried. */
    readonly retryable = false,
    /** How long the provider asked us to wait (its `Retry-After`), when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(message, { provider, ...(providerCode ? { providerCode } : {}) });
  }
}

export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED' as const;
}

/** An error's first line (a driver's message can carry the SQL on the next ones), for a log field, a row or an answer. */
export function firstLineOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
