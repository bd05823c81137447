import { ProviderError } from '../../domain/errors';
import { PaymentProvider } from '../../model/payment-types';
import type { PaymentProviderAdapter } from '../../domain/providers/payment-provider';
import type { AuthorizationOutcome, CaptureOutcome, CreatedPayPalOrder, PayPalGateway, PayPalItem, PayPalOrderRequest } from '../../domain/providers/paypal-gateway';
import { WebhookVerificationError, type PaymentAction, type PaymentRef, type ProviderRefundState, type VerifiedWebhook } from '../../domain/providers/provider-events';
import { PayPalAuthorizationCalls } from './paypal.authorizations';
import type { PayPalClient } from './paypal.client';
import { toProviderError } from './paypal.errors';
import { declinedOrThrow, orderCreateBody } from './paypal.order-body';
import { confirmedEventActions, readOrNothing } from './paypal.webhook-actions';
import { orderActions, orderTruth, refundAction, REFUND_CUSTOM_ID_PREFIX } from './paypal.events';
import { assertPayPalCurrency, toPayPalValue } from './paypal.money';
import { sdk } from './paypal.sdk';
import type { PayPalWebhookVerifier } from './paypal.webhook';

type Json = Record<string, unknown>;

export interface PayPalAdapterOptions {
  /** Forward `PayPal-Mock-Response` (negative testing): never when talking to live PayPal. */
  allowMockResponses: boolean;
}

/**
 * PayPal behind our provider interface, through `@paypal/checkout-server-sdk` (Orders v2 and
 * Payments v2). It translates in both directions — our orders into PayPal requests, PayPal answers,
 * errors and webhooks into provider-neutral facts — and decides nothing about our orders.
 */
export class PayPalAdapter implements PayPalGateway {
  readonly provider = PaymentProvider.PAYPAL;
  private readonly authorizations: PayPalAuthorizationCalls;

  constructor(
    private readonly client: PayPalClient,
    private readonly verifier: PayPalWebhookVerifier,
    private readonly options: PayPalAdapterOptions,
  ) {
    this.authorizations = new PayPalAuthorizationCalls({
      call: (request, what) => this.call(request, what),
      mockHeader: (mock): Record<string, string> => (mock && this.options.allowMockResponses ? { 'PayPal-Mock-Response': mock.slice(0, 500) } : {}),
    });
  }

  /**
   * intent AUTHORIZE: authorizes an approved order (the funds are held; see paypal.authorizations.ts).
   * Refusals are sorted as for a capture: not approved yet, or a decline (facts say FAILED).
   */
  async authorizeOrder(paypalOrderId: string, options: { requestId: string; mockResponse?: string }): Promise<CaptureOutcome> {
    try {
      return await this.authorizations.authorizeOrder(paypalOrderId, options);
    } catch (error) {
      return declinedOrThrow(error, paypalOrderId);
    }
  }

  /** Captures part or all of the order's authorization (final: the rest released; not final: more captures may follow). */
  captureAuthorization(paypalOrderId: string, input: { amount: number; currency: string; requestId: string; finalCapture: boolean }): Promise<AuthorizationOutcome> {
    return this.authorizations.captureAuthorization(paypalOrderId, input);
  }

  /** Releases the order's authorization uncaptured. */
  voidAuthorization(paypalOrderId: string): Promise<AuthorizationOutcome> {
    return this.authorizations.voidAuthorization(paypalOrderId);
  }

  /** BAD_USER_INPUT unless PayPal can take this order as it is (currency, amounts in PayPal's digits). */
  assertPayable(order: { currency: string; items: PayPalItem[] }): void {
    assertPayPalCurrency(order.currency, 'input.orderId');
    for (const item of order.items) toPayPalValue(item.unitAmount, order.currency, 'input.orderId');
  }

  /** Orders v2 create: intent CAPTURE (or AUTHORIZE for a manual capture), one purchase unit built from our order, our ids as references. */
  async createOrder(input: PayPalOrderRequest): Promise<CreatedPayPalOrder> {
    this.assertPayable(input);
    const body = orderCreateBody(input);
    const request = new sdk.orders.OrdersCreateRequest().prefer('return=minimal').requestBody(body);
    request.headers['PayPal-Request-Id'] = input.requestId;
    const result = await this.call<Json>(request, 'to create the order');
    const links = Array.isArray(result.links) ? (result.links as Json[]) : [];
    const approve = links.find((l) => l.rel === 'approve' || l.rel === 'payer-action');
    if (typeof result.id !== 'string' || typeof approve?.href !== 'string') {
      throw new ProviderError('PayPal created an order without an id or an approval link', 'PAYPAL', 'MALFORMED_RESPONSE');
    }
    return { paypalOrderId: result.id, approveUrl: approve.href, status: String(result.status) };
  }

  /**
   * Orders v2 capture with a PayPal-Request-Id derived from our payment id (a retry or a second
   * call replays the first capture). An order captured before (by an earlier call whose answer was
   * lost) is read back with GET, so the caller always gets the capture's facts.
   */
  async captureOrder(paypalOrderId: string, options: { requestId: string; mockResponse?: string }): Promise<CaptureOutcome> {
    const request = new sdk.orders.OrdersCaptureRequest(paypalOrderId).payPalRequestId(options.requestId).prefer('return=representation').requestBody({});
    if (options.mockResponse && this.options.allowMockResponses) request.headers['PayPal-Mock-Response'] = options.mockResponse.slice(0, 500);
    let order: Json;
    try {
      order = await this.call<Json>(request, 'to capture the order');
    } catch (error) {
      if (error instanceof ProviderError && error.providerCode === 'ORDER_ALREADY_CAPTURED') return this.outcome(await this.getOrder(paypalOrderId));
      return declinedOrThrow(error, paypalOrderId);
    }
    const actions = orderActions(order);
    return this.outcome(actions.some((a) => a.kind !== 'payment_approved') ? actions : await this.getOrder(paypalOrderId));
  }

  /** Orders v2 GET → the facts it shows (captures, or approval). */
  async getOrder(paypalOrderId: string): Promise<PaymentAction[]> {
    return orderActions(await this.call<Json>(new sdk.orders.OrdersGetRequest(paypalOrderId), 'to show the order'));
  }

  /** Payments v2 refund of a capture; our refund id travels in custom_id/invoice_id, the key in PayPal-Request-Id. */
  async refund(request: Parameters<PaymentProviderAdapter['refund']>[0]): Promise<ProviderRefundState> {
    const captureId = request.ref.chargeId;
    if (!captureId) throw new ProviderError('This PayPal payment has no capture id to refund against', 'PAYPAL', 'NO_CAPTURE');
    const reference = `${REFUND_CUSTOM_ID_PREFIX}${request.refundId}`;
    const body: Json = {
      amount: { currency_code: request.currency, value: toPayPalValue(request.amount, request.currency, 'input.amount') },
      custom_id: reference,
      invoice_id: reference,
    };
    if (request.reason) body.note_to_payer = request.reason.slice(0, 255);
    const sdkRequest = new sdk.payments.CapturesRefundRequest(captureId).payPalRequestId(request.idempotencyKey).prefer('return=representation').requestBody(body);
    const result = await this.call<Json>(sdkRequest, 'the refund');
    const action = refundAction(result, { amount: request.amount, currency: request.currency });
    if (action.kind !== 'refund_state') throw new ProviderError('PayPal answered the refund without an id or a known status', 'PAYPAL', 'MALFORMED_RESPONSE', true);
    return action.refund;
  }

  /**
   * Reconciliation: the PayPal order with its captures and refunds. An order PayPal no longer knows
   * (404: never approved, and gone after PayPal's 3 hours) is PayPal's own answer that it expired.
   */
  async retrievePayment(ref: PaymentRef, onCall: () => void = () => undefined): Promise<PaymentAction[]> {
    if (!ref.providerPaymentId) return [{ kind: 'ignored', reason: 'no PayPal order id to ask about' }];
    onCall();
    const order = await readOrNothing(this.client, new sdk.orders.OrdersGetRequest(ref.providerPaymentId), `order ${ref.providerPaymentId}`);
    if (!order) return [{ kind: 'payment_expired', ref }];
    return orderTruth(order, ref);
  }

  async retrieveRefund(providerRefundId: string, ref: PaymentRef, onCall: () => void = () => undefined): Promise<PaymentAction[]> {
    onCall();
    const refund = await readOrNothing(this.client, new sdk.payments.RefundsGetRequest(providerRefundId), `refund ${providerRefundId}`);
    if (!refund) return [{ kind: 'ignored', reason: `PayPal has no refund ${providerRefundId}` }];
    const action = refundAction(refund);
    return action.kind === 'refund_state' ? [{ ...action, ref: { ...ref, ...Object.fromEntries(Object.entries(action.ref).filter(([, v]) => v)) } }] : [action];
  }

  async verifyWebhook(rawBody: Buffer, headers: Record<string, string | string[] | undefined>): Promise<VerifiedWebhook> {
    await this.verifier.verify(rawBody, headers);
    let event: Json;
    try {
      event = JSON.parse(rawBody.toString('utf8')) as Json;
    } catch {
      throw new WebhookVerificationError('the signed body is not JSON');
    }
    if (typeof event?.id !== 'string' || typeof event.event_type !== 'string') throw new WebhookVerificationError('the event has no id or event_type');
    return { provider: PaymentProvider.PAYPAL, eventId: event.id, type: event.event_type };
  }

  /** A verified event → facts; PayPal signs only the body's CRC-32, so see paypal.webhook-actions.ts. */
  async webhookActions(payload: string): Promise<PaymentAction[]> {
    return confirmedEventActions(this.client, payload);
  }

  private outcome(actions: PaymentAction[]): CaptureOutcome {
    const failed = actions.find((a) => a.kind === 'payment_failed');
    if (!failed || actions.some((a) => a.kind === 'payment_succeeded' || a.kind === 'payment_processing')) return { actions };
    const code = failed.kind === 'payment_failed' ? failed.code ?? 'DECLINED' : 'DECLINED';
    return { actions, declined: new ProviderError(`PayPal declined the capture (${code})`, 'PAYPAL', code) };
  }

  private async call<T>(request: Parameters<PayPalClient['execute']>[0], what: string): Promise<T> {
    try {
      const response = await this.client.execute<T>(request);
      return (response.result ?? {}) as T;
    } catch (error) {
      throw toProviderError(error, what);
    }
  }
}
