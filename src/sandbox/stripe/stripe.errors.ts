import type { ErrorRequestHandler, Response } from 'express';

/** Stripe's error `type` values. */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

/** Optional members of Stripe's error object. */
export interface StripeErrorFields {
  code?: string;
  decline_code?: string;
  param?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
}

/** An error answered in Stripe's envelope `{"error":{type,code,message,…}}` with the HTTP status. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly fields: StripeErrorFields = {},
  ) {
    super(message);
  }

  /** The JSON body, with `doc_url` like Stripe adds for coded errors. */
  body(): { error: Record<string, unknown> } {
    const { code } = this.fields;
    return {
      error: {
        ...(code ? { code, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}` } : {}),
        ...this.fields,
        message: this.message,
        type: this.type,
      },
    };
  }
}

/** 400 `invalid_request_error`. */
export function invalidRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, 'invalid_request_error', message, { ...(code ? { code } : {}), ...(param ? { param } : {}) });
}

/** 404 `resource_missing`, worded like Stripe. */
export function noSuch(kind: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param });
}

/** Write a Stripe error response. */
export function sendStripeError(res: Response, err: StripeApiError): void {
  res.status(err.status).json(err.body());
}

/** Router error handler: Stripe errors as-is, anything else as Stripe's 500 `api_error`. */
export const stripeErrorHandler: ErrorRequestHandler = (err, _req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof StripeApiError) return sendStripeError(res, err);
  sendStripeError(res, new StripeApiError(500, 'api_error', `An unknown error occurred in the sandbox: ${err instanceof Error ? err.message : String(err)}`));
};
