import type { SandboxContext } from '../core/sandbox.types';
import { notFound, unprocessable } from './paypal.errors';
import { paypalTime, resourceId } from './paypal.ids';
import { fromMinor, paypalFee } from './paypal.money';
import type { AuthorizationCaptureInput } from './paypal.authorization-capture-request';
import { authorizationView } from './paypal.authorization.views';
import { intentMismatch } from './paypal.orders.service';
import type { AuthorizationRecord, CaptureRecord, OrderRecord, PayPalState } from './paypal.state';
import { captureView, orderView } from './paypal.views';
import { emitEvent } from './paypal.webhooks';

export const DAY_MS = 24 * 3600 * 1000;
/** PayPal: "PayPal recommends that you capture the funds within the three-day honor period" (captures still work after it, until expiry). */
export const HONOR_PERIOD_DAYS = 3;
/** PayPal: "An authorization places a hold on the funds and is valid for 29 days." */
const AUTHORIZATION_DAYS = 29;
/** PayPal's default overage limit: the sum of all captures may reach 115% of the authorized amount… */
const OVERAGE_PERCENT = 115n;
/** …but no more than $75 over it (PayPal's docs: "115% of or $75 USD more, whichever is less"). */
const USD_OVERAGE_CAP_MINOR = 7500n;

/**
 * intent=AUTHORIZE (Orders v2 authorize + Payments v2 authorizations): an approved order is
 * authorized once; the authorization is captured in one or more parts until a `final_capture` (or
 * its full amount), voided, or it lapses (a sandbox control). Each step emits PayPal's webhook.
 */
export class AuthorizationsService {
  constructor(private readonly ctx: SandboxContext, private readonly state: PayPalState) {}

  /** Looks an authorization up or throws PayPal's 404. */
  get(id: string): AuthorizationRecord {
    const auth = this.state.authorizations.get(id);
    if (!auth) throw notFound('payments', 'authorization_id', id);
    return auth;
  }

  /** Every authorization, oldest first (sandbox controls). */
  all(): AuthorizationRecord[] {
    return [...this.state.authorizations.values()];
  }

  of(order: OrderRecord): AuthorizationRecord[] {
    return order.authorizationIds.map((id) => this.get(id));
  }

  /** `POST /v2/checkout/orders/{id}/authorize`: the order COMPLETED, its authorization CREATED (`PAYMENT.AUTHORIZATION.CREATED`). */
  authorize(order: OrderRecord): AuthorizationRecord {
    if (order.intent !== 'AUTHORIZE') throw intentMismatch('CAPTURE');
    if (order.authorizationIds.length > 0) {
      throw unprocessable('orders', 'ORDER_ALREADY_AUTHORIZED', "Order already authorized.If 'intent=AUTHORIZE' only one authorization per order is allowed.");
    }
    if (order.status === 'COMPLETED' || order.status === 'VOIDED') {
      throw unprocessable('orders', 'ORDER_COMPLETED_OR_VOIDED', 'Order is voided or completed and hence cannot be authorized.');
    }
    if (order.status !== 'APPROVED') {
      throw unprocessable('orders', 'ORDER_NOT_APPROVED', "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call.");
    }
    const now = new Date();
    const auth: AuthorizationRecord = {
      id: resourceId(), orderId: order.id, status: 'CREATED', currency: order.currency, amountMinor: order.amountMinor,
      capturedMinor: 0n, captureIds: [], customId: order.purchaseUnit.custom_id, invoiceId: order.purchaseUnit.invoice_id,
      createTime: paypalTime(now), updateTime: paypalTime(now), expirationTime: paypalTime(new Date(now.getTime() + AUTHORIZATION_DAYS * DAY_MS)), expired: false,
      honorPeriodEnd: paypalTime(new Date(now.getTime() + HONOR_PERIOD_DAYS * DAY_MS)),
    };
    this.state.authorizations.set(auth.id, auth);
    order.authorizationIds.push(auth.id);
    order.status = 'COMPLETED';
    order.updateTime = auth.updateTime;
    emitEvent(this.ctx, this.state, 'PAYMENT.AUTHORIZATION.CREATED', 'authorization', `Payment authorized for ${this.value(auth.amountMinor, auth)}`,
      authorizationView(this.ctx.baseUrl(), auth, true));
    return auth;
  }

  /** `POST /v2/payments/authorizations/{id}/capture`: a capture COMPLETED (`PAYMENT.CAPTURE.COMPLETED`). */
  capture(auth: AuthorizationRecord, input: AuthorizationCaptureInput): CaptureRecord {
    this.assertCapturable(auth);
    const left = auth.amountMinor - auth.capturedMinor;
    const amount = input.amountMinor ?? (left > 0n ? left : 0n);
    const total = auth.capturedMinor + amount;
    if (amount <= 0n || total > this.captureLimit(auth)) {
      throw unprocessable('payments', 'MAX_CAPTURE_AMOUNT_EXCEEDED',
        'Capture amount exceeds allowable limit. Please contact customer service or your account manager to request the change to your overage limit. The default overage limit is 115%, which allows the sum of all captures to be up to 115% of the order amount. The ability to over capture is subjected to regulatory approvals.',
        { field: '/amount/value', value: fromMinor(amount, auth.currency), location: 'body' });
    }
    const now = paypalTime();
    const capture: CaptureRecord = {
      id: resourceId(), orderId: auth.orderId, authorizationId: auth.id, finalCapture: input.finalCapture,
      currency: auth.currency, amountMinor: amount, status: 'COMPLETED', feeMinor: paypalFee(amount), refundedMinor: 0n, refundIds: [],
      customId: auth.customId, invoiceId: input.invoiceId ?? auth.invoiceId, createTime: now, updateTime: now,
    };
    this.state.captures.set(capture.id, capture);
    auth.captureIds.push(capture.id);
    this.state.orders.get(auth.orderId)?.captureIds.push(capture.id);
    auth.capturedMinor = total;
    // A final capture, or one that took everything, closes the authorization; the rest is released.
    auth.status = input.finalCapture || total >= auth.amountMinor ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
    auth.updateTime = now;
    emitEvent(this.ctx, this.state, 'PAYMENT.CAPTURE.COMPLETED', 'capture', `Payment completed for ${this.value(amount, auth)}`,
      captureView(this.ctx.baseUrl(), capture, true));
    return capture;
  }

  /** `POST /v2/payments/authorizations/{id}/void` (`PAYMENT.AUTHORIZATION.VOIDED`); what was captured stays captured. */
  void(auth: AuthorizationRecord): AuthorizationRecord {
    if (auth.status === 'VOIDED') throw unprocessable('payments', 'PREVIOUSLY_VOIDED', 'Authorization has been previously voided and hence cannot be voided again.');
    if (auth.status === 'CAPTURED') throw unprocessable('payments', 'PREVIOUSLY_CAPTURED', 'Authorization has been previously captured and hence cannot be voided.');
    return this.close(auth, false);
  }

  /**
   * Sandbox control: the 29-day authorization period ends now. PayPal reports a lapsed
   * authorization as VOIDED (`PAYMENT.AUTHORIZATION.VOIDED` "due to authorization reaching its 30
   * day validity period"), with `expiration_time` passed; a capture then answers AUTHORIZATION_EXPIRED.
   */
  expire(auth: AuthorizationRecord): AuthorizationRecord {
    if (auth.status !== 'CREATED' && auth.status !== 'PARTIALLY_CAPTURED') {
      throw unprocessable('payments', 'AUTHORIZATION_NOT_OPEN', `Authorization is ${auth.status}; only an open authorization can lapse (sandbox control).`);
    }
    auth.expirationTime = paypalTime();
    return this.close(auth, true);
  }

  /** The order an authorization belongs to, rendered with its authorizations and captures. */
  orderWith(order: OrderRecord, captures: CaptureRecord[]): Record<string, unknown> {
    return orderView(this.ctx.baseUrl(), order, captures, [], this.of(order));
  }

  private close(auth: AuthorizationRecord, expired: boolean): AuthorizationRecord {
    auth.status = 'VOIDED';
    auth.expired = expired;
    auth.updateTime = paypalTime();
    emitEvent(this.ctx, this.state, 'PAYMENT.AUTHORIZATION.VOIDED', 'authorization',
      expired ? `A ${this.value(auth.amountMinor, auth)} authorization expired` : `A payment authorization was voided`,
      authorizationView(this.ctx.baseUrl(), auth, true));
    return auth;
  }

  assertCapturable(auth: AuthorizationRecord): void {
    if (auth.status === 'VOIDED' && auth.expired) throw unprocessable('payments', 'AUTHORIZATION_EXPIRED', 'An expired authorization cannot be captured.');
    if (auth.status === 'VOIDED') throw unprocessable('payments', 'AUTHORIZATION_VOIDED', 'A voided authorization cannot be captured or reauthorized. ');
    if (auth.status === 'DENIED') throw unprocessable('payments', 'AUTHORIZATION_DENIED', 'An denied authorization cannot be captured.');
    if (auth.status === 'CAPTURED') throw unprocessable('payments', 'AUTHORIZATION_ALREADY_CAPTURED', 'Authorization has previously been captured.');
  }

  /** The most all captures together may take: 115% of the authorized amount, at most $75 more in USD. */
  captureLimit(auth: AuthorizationRecord): bigint {
    const overage = (auth.amountMinor * OVERAGE_PERCENT) / 100n;
    return auth.currency === 'USD' && overage - auth.amountMinor > USD_OVERAGE_CAP_MINOR ? auth.amountMinor + USD_OVERAGE_CAP_MINOR : overage;
  }

  value(minor: bigint, auth: AuthorizationRecord): string {
    return `${fromMinor(minor, auth.currency)} ${auth.currency}`;
  }
}
