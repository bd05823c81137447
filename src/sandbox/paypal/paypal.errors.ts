import type { NextFunction, Request, Response } from 'express';
import { debugId } from './paypal.ids';

/** One entry of PayPal's `details[]` (spec `error_details`). */
export interface ErrorDetail {
  field?: string;
  value?: string;
  location?: 'body' | 'path' | 'query' | 'header';
  issue: string;
  description?: string;
}

/** Extra HATEOAS link on an error, e.g. the `redirect` link of INSTRUMENT_DECLINED. */
export interface ErrorLink {
  href: string;
  rel: string;
  method: 'GET' | 'POST';
}

/** Which API's documentation the `information_link` points into. */
export type ApiFamily = 'orders' | 'payments' | 'notifications';

/** PayPal's fixed `name`/`message` pairs per HTTP status (spec `error_400` … `error_500`). */
const STANDARD: Record<number, { name: string; message: string }> = {
  400: { name: 'INVALID_REQUEST', message: 'Request is not well-formed, syntactically incorrect, or violates schema.' },
  403: { name: 'NOT_AUTHORIZED', message: 'Authorization failed due to insufficient permissions.' },
  404: { name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.' },
  409: { name: 'RESOURCE_CONFLICT', message: 'The server has detected a conflict while processing this request.' },
  422: { name: 'UNPROCESSABLE_ENTITY', message: 'The requested action could not be performed, semantically incorrect, or failed business validation.' },
  500: { name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error has occurred.' },
};

/**
 * An error answered in PayPal's REST error shape
 * `{name, message, debug_id, details, links}`; thrown by handlers and
 * rendered once by {@link sendPayPalError}.
 */
export class PayPalApiError extends Error {
  constructor(
    readonly status: number,
    readonly details: ErrorDetail[],
    readonly family: ApiFamily,
    readonly extraLinks: ErrorLink[] = [],
    messageOverride?: string,
  ) {
    super(messageOverride ?? STANDARD[status]?.message ?? 'Error');
  }

  /** The JSON body PayPal would send. */
  body(): Record<string, unknown> {
    const name = STANDARD[this.status]?.name ?? 'INTERNAL_SERVER_ERROR';
    // PayPal points each issue at its documentation anchor; 500s carry no details.
    const infoLinks: ErrorLink[] = this.details.map((d) => ({
      href: `https://developer.paypal.com/docs/api/${this.family === 'notifications' ? 'webhooks/v1' : `${this.family}/v2`}/#error-${d.issue}`,
      rel: 'information_link',
      method: 'GET',
    }));
    const body: Record<string, unknown> = { name, message: this.message, debug_id: debugId() };
    if (this.details.length > 0) body.details = this.details;
    body.links = [...this.extraLinks, ...infoLinks];
    return body;
  }
}

/** 404 for a path id that does not exist (`INVALID_RESOURCE_ID`). */
export function notFound(family: ApiFamily, field: string, value: string): PayPalApiError {
  return new PayPalApiError(404, [{
    field, value, location: 'path', issue: 'INVALID_RESOURCE_ID',
    description: 'Specified resource ID does not exist. Please check the resource ID and try again.',
  }], family);
}

/** 422 business-rule refusal with one issue. */
export function unprocessable(family: ApiFamily, issue: string, description: string, extra: Partial<ErrorDetail> = {}, links: ErrorLink[] = []): PayPalApiError {
  return new PayPalApiError(422, [{ ...extra, issue, description }], family, links);
}

/**
 * A feature the real API has but this emulator does not: a 400 whose
 * message says so plainly, so nobody mistakes it for PayPal behaviour.
 */
export function unsupported(family: ApiFamily, field: string, what: string): PayPalApiError {
  return new PayPalApiError(400, [{
    field, location: 'body', issue: 'NOT_SUPPORTED', description: `${what} is not supported by the sandbox.`,
  }], family, [], `${what} is not supported by the sandbox.`);
}

/** Sends a {@link PayPalApiError} (or a generic 500) as PayPal would. */
export function sendPayPalError(res: Response, err: PayPalApiError): void {
  res.status(err.status).type('application/json').send(JSON.stringify(err.body()));
}

/**
 * Express error middleware for the PayPal API router: PayPal-shaped
 * errors pass through; JSON syntax errors become `MALFORMED_REQUEST_JSON`
 * as PayPal answers them; anything else is an honest 500.
 */
export function payPalErrorHandler(family: ApiFamily) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    if (err instanceof PayPalApiError) return sendPayPalError(res, err);
    const parseFailed = typeof err === 'object' && err !== null && (err as { type?: string }).type === 'entity.parse.failed';
    if (parseFailed) {
      return sendPayPalError(res, new PayPalApiError(400, [{
        issue: 'MALFORMED_REQUEST_JSON', description: 'The request JSON is not well formed.', location: 'body',
      }], family));
    }
    sendPayPalError(res, new PayPalApiError(500, [], family));
  };
}
