import type { SandboxContext } from '../core/sandbox.types';
import { readAmountIn, type Problems } from './paypal.amount.validation';
import { authorizationView } from './paypal.authorization.views';
import { DAY_MS, HONOR_PERIOD_DAYS, type AuthorizationsService } from './paypal.authorizations.service';
import { PayPalApiError, unprocessable } from './paypal.errors';
import { paypalTime, resourceId } from './paypal.ids';
import type { AuthorizationRecord, PayPalState } from './paypal.state';
import { emitEvent } from './paypal.webhooks';

type Json = Record<string, unknown>;

/**
 * Validates `POST /v2/payments/authorizations/{id}/reauthorize` (`reauthorize_request`: only an
 * optional `amount`, in the authorization's currency): 400 for a malformed body, 422
 * AUTH_CURRENCY_MISMATCH / CANNOT_BE_ZERO_OR_NEGATIVE / DECIMAL_PRECISION as the spec lists them.
 * Undefined = the authorized amount again.
 */
export function parseReauthorize(body: unknown, currency: string): bigint | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new PayPalApiError(400, [{ issue: 'MALFORMED_REQUEST_JSON', location: 'body', description: 'The request JSON is not well formed.' }], 'payments');
  }
  const src = body as Json;
  if (src.amount === undefined) return undefined;
  const problems: Problems = { schema: [], business: [] };
  const minor = readAmountIn(src.amount, currency, problems, {
    mismatch: 'AUTH_CURRENCY_MISMATCH',
    mismatchDescription: 'The currency specified during reauthorization should be the same as the currency specified in the original authorization. Please check the currency of the authorization for which you are trying to reauthorize and try again.',
    zeroDescription: 'Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.',
  });
  if (problems.schema.length > 0) throw new PayPalApiError(400, problems.schema, 'payments');
  if (problems.business.length > 0) throw new PayPalApiError(422, problems.business, 'payments');
  return minor;
}

/**
 * Reauthorization (Payments v2) and the 3-day honor period. PayPal honors an authorization for 3
 * days and holds it 29; after the honor period (and only then) it may be reauthorized, within the
 * 29 days and up to the overage limit: a NEW authorization with its own id and a new 3-day honor
 * period that ends no later than the original's 29 days. Captures are still taken after the honor
 * period, until expiry. A reauthorization cannot itself be reauthorized.
 */
export class Reauthorizations {
  constructor(private readonly ctx: SandboxContext, private readonly state: PayPalState, private readonly authorizations: AuthorizationsService) {}

  /** `POST /v2/payments/authorizations/{id}/reauthorize` → the new authorization (`PAYMENT.AUTHORIZATION.CREATED`). */
  reauthorize(auth: AuthorizationRecord, amountMinor: bigint | undefined): AuthorizationRecord {
    this.authorizations.assertCapturable(auth);
    if (auth.status === 'PARTIALLY_CAPTURED') throw unprocessable('payments', 'AUTHORIZATION_ALREADY_CAPTURED', 'Authorization has previously been captured.');
    if (auth.reauthorizationOf) {
      throw unprocessable('payments', 'REAUTHORIZATION_NOT_SUPPORTED', 'A reauthorize cannot be attempted on an authorization_id that is the result of a prior reauthorization or on an authorization made on an Order saved using the `v2/orders/id/save` API.');
    }
    if (this.inHonorPeriod(auth)) {
      throw unprocessable('payments', 'CANNOT_REAUTH_INSIDE_HONOR_PERIOD', 'Reauthorization is not allowed within the honor period.');
    }
    const amount = amountMinor ?? auth.amountMinor;
    if (amount > this.authorizations.captureLimit(auth)) {
      throw unprocessable('payments', 'TRANSACTION_REFUSED', "PayPal's internal controls prevent authorization from being captured.", { field: '/amount/value', location: 'body' });
    }
    const now = new Date();
    const expires = Date.parse(auth.expirationTime);
    const renewed: AuthorizationRecord = {
      id: resourceId(), orderId: auth.orderId, status: 'CREATED', currency: auth.currency, amountMinor: amount, capturedMinor: 0n, captureIds: [],
      customId: auth.customId, invoiceId: auth.invoiceId, createTime: paypalTime(now), updateTime: paypalTime(now),
      // "It will not extend the original authorization period past 29 days."
      expirationTime: auth.expirationTime, expired: false,
      honorPeriodEnd: paypalTime(new Date(Math.min(now.getTime() + HONOR_PERIOD_DAYS * DAY_MS, expires))),
      reauthorizationOf: auth.id,
    };
    this.state.authorizations.set(renewed.id, renewed);
    this.state.orders.get(auth.orderId)?.authorizationIds.push(renewed.id);
    emitEvent(this.ctx, this.state, 'PAYMENT.AUTHORIZATION.CREATED', 'authorization', `Payment reauthorized for ${this.authorizations.value(amount, renewed)}`,
      authorizationView(this.ctx.baseUrl(), renewed, true));
    return renewed;
  }

  /** Sandbox control: the 3-day honor period ends now (reauthorize becomes possible; captures still work until expiry). */
  endHonorPeriod(auth: AuthorizationRecord): AuthorizationRecord {
    if (auth.status !== 'CREATED' && auth.status !== 'PARTIALLY_CAPTURED') {
      throw unprocessable('payments', 'AUTHORIZATION_NOT_OPEN', `Authorization is ${auth.status}; only an open authorization has an honor period to end (sandbox control).`);
    }
    if (this.inHonorPeriod(auth)) auth.honorPeriodEnd = paypalTime();
    return auth;
  }

  inHonorPeriod(auth: AuthorizationRecord): boolean {
    return Date.parse(auth.honorPeriodEnd) > Date.now();
  }
}
