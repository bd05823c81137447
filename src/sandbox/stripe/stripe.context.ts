import type { Response } from 'express';
import type { SandboxContext } from '../core/sandbox.types';
import type { EventOrigin, StripeEvents } from './stripe.events';
import type { FormParams } from './stripe.form';
import type { StripePayments } from './stripe.payments';
import type { StripeStore } from './stripe.store';

/** What every Stripe route module gets. */
export interface StripeDeps {
  ctx: SandboxContext;
  store: StripeStore;
  events: StripeEvents;
  payments: StripePayments;
}

/** The decoded form body (POST) or query string (GET) of the current request. */
export function formOf(res: Response): FormParams {
  return res.locals.form as FormParams;
}

/** The request id and idempotency key stamped on events this request causes. */
export function originOf(res: Response): EventOrigin {
  return res.locals.origin as EventOrigin;
}

/** Reject anything that is not an absolute http(s) URL, like Stripe's "Not a valid URL". */
export function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value.replace(/\{CHECKOUT_SESSION_ID\}/g, 'x')).protocol);
  } catch {
    return false;
  }
}
