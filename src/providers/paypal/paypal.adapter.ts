import { ProviderError } from '../../domain/errors';
import { PaymentProvider } from '../../domain/payment-types';
import type { PaymentProviderAdapter } from '../payment-provider';
import { WebhookVerificationError, type PaymentAction, type PaymentRef, type ProviderRefundState, type VerifiedWebhook } from '../provider-events';
import { PayPalAuthorizationCalls, type AuthorizationOutcome } from './paypal.authorizations';
import type { PayPalClient } from './paypal.client';
import { toProviderError } from './paypal.errors';
import { authorizationAction } from './paypal.authorization-events';
import { captureAction, eventActions, orderActions, orderTruth, refundAction, REFUND_CUSTOM_ID_PREFIX } from './paypal.events';
import { assertPayPalCurrency, toPayPalValue } from './paypal.money';
import { isSdkHttpError, sdk, type SdkRequest } from './paypal.sdk';
import type { PayPalWebhookVerifier } from './paypal.webhook';

type Json = Record<string, unknown>;

/** One line of our order, in minor units. */
export interface PayPalItem {
  sku: string;
  name: string;
  unitAmount: number;
  quantity: number;
}

/** What a PayPal order is created from: our order and payment attempt. */
export interface PayPalOrderRequest {
  orderId: string;
  paymentId: string;
  currency: string;
  amount: number;
  items: PayPalItem[];
  returnUrl: string;
  cancelUrl: string;
  /** PayPal-Request-Id: the same id replays the first answer instead of creating a second order. */
  requestId: string;
  /** MANUAL: intent AUTHORIZE (funds held at approval + authorize, captured later); default CAPTURE. */
  captureMethod?: 'automatic' | 'manual';
}

export interface CreatedPayPalOrder {
  paypalOrderId: string;
  approveUrl: string;
  status: string;
}

/** A capture's facts; `declined` is set when PayPal refused the buyer's funding (the facts say FAILED). */
export interface CaptureOutcome {
  actions: PaymentAction[];
  declined?: ProviderError;
}

/** Capture refusals that mean "this payment attempt failed" (the buyer may start again), per Orders v2. */
const DECLINES: ReadonlySet<string> = new Set([
  'INSTRUMENT_DECLINED', 'TRANSACTION_REFUSED', 'PAYER_CANNOT_PAY', 'PAYER_ACCOUNT_LOCKED_OR_CLOSED', 'PAYEE_BLOCKED_TRANSACTION',
  'TRANSACTION_LIMIT_EXCEEDED', 'TRANSACTION_RECEIVING_LIMIT_EXCEEDED', 'TRANSACTION_BLOCKED_BY_PAYEE', 'COMPLIANCE_VIOLATION',
  'MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED', 'REDIRECT_PAYER_FOR_ALTERNATE_FUNDING',
]);

const NOT_APPROVED: ReadonlySet<string> = new Set(['ORDER_NOT_APPROVED', 'PAYER_ACTION_REQUIRED']);

export interface PayPalAdapterOptions {
  /** Forward `PayPal-Mock-Response` (negative testing): never when talking to live PayPal. */
  allowMockResponses: boolean;
}

/**
 * PayPal behind our provider interface, through `@paypal/checkout-server-sdk` (Orders v2 and
 * Payments v2). It translates in both directions — our orders into PayPal requests, PayPal answers,
 * errors and webhooks into provider-neutral facts — and decides nothing about our orders.
 */
export class PayPalAdapter implements PaymentProviderAdapter {
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
      const issue = error instanceof ProviderError ? error.providerCode : undefined;
      if (issue && NOT_APPROVED.has(issue)) {
        throw new ProviderError('The buyer has not approved this PayPal order yet: send them to its approveUrl first', 'PAYPAL', issue);
      }
      if (issue && DECLINES.has(issue) && error instanceof ProviderError) {
        return { actions: [{ kind: 'payment_failed', ref: { providerPaymentId: paypalOrderId }, code: issue, message: error.message }], declined: error };
      }
      throw error;
    }
  }

  /** Captures part or all of the order's authorization, as its final capture (the rest released). */
  captureAuthorization(paypalOrderId: string, input: { amount: number; currency: string; requestId: string }): Promise<AuthorizationOutcome> {
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
    const money = (minor: number) => ({ currency_code: input.currency, value: toPayPalValue(minor, input.currency) });
    const itemTotal = input.items.reduce((sum, i) => sum + i.unitAmount * i.quantity, 0);
    const body = {
      intent: input.captureMethod === 'manual' ? 'AUTHORIZE' : 'CAPTURE',
      purchase_units: [{
        reference_id: input.orderId,
        custom_id: input.paymentId,
        invoice_id: input.orderId,
        description: `Order ${input.orderId}`,
        amount: { ...money(input.amount), breakdown: { item_total: money(itemTotal) } },
        items: input.items.map((i) => ({
          name: i.name.slice(0, 127), sku: i.sku.slice(0, 127), quantity: String(i.quantity), unit_amount: money(i.unitAmount),
        })),
      }],
      payment_source: {
        paypal: { experience_context: { return_url: input.returnUrl, cancel_url: input.cancelUrl, user_action: 'PAY_NOW', shipping_preference: 'NO_SHIPPING' } },
      },
    };
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
      const issue = error instanceof ProviderError ? error.providerCode : undefined;
      if (issue === 'ORDER_ALREADY_CAPTURED') return this.outcome(await this.getOrder(paypalOrderId));
      if (issue && NOT_APPROVED.has(issue)) {
        throw new ProviderError('The buyer has not approved this PayPal order yet: send them to its approveUrl first', 'PAYPAL', issue);
      }
      if (issue && DECLINES.has(issue) && error instanceof ProviderError) {
        const ref: PaymentRef = { providerPaymentId: paypalOrderId };
        return { actions: [{ kind: 'payment_failed', ref, code: issue, message: error.message }], declined: error };
      }
      throw error;
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
    const order = await this.confirm(new sdk.orders.OrdersGetRequest(ref.providerPaymentId), `order ${ref.providerPaymentId}`);
    if (!order) return [{ kind: 'payment_expired', ref }];
    return orderTruth(order, ref);
  }

  async retrieveRefund(providerRefundId: string, ref: PaymentRef, onCall: () => void = () => undefined): Promise<PaymentAction[]> {
    onCall();
    const refund = await this.confirm(new sdk.payments.RefundsGetRequest(providerRefundId), `refund ${providerRefundId}`);
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

  /**
   * A verified event → facts. PayPal signs only the body's CRC-32, so an event that moves money
   * (capture completed, refunded, reversed) or holds/releases it (authorization created, voided) is not taken at its word: the capture or refund it
   * names is read from PayPal's API and what PayPal answers is applied. A resource PayPal does not
   * know is ignored; PayPal unreachable is a retryable ProviderError (the delivery is retried).
   */
  async webhookActions(payload: string): Promise<PaymentAction[]> {
    const event = JSON.parse(payload) as Json;
    const resource = event.resource as Json | undefined;
    const id = typeof resource?.id === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(resource.id) ? resource.id : undefined;
    if (!id) return eventActions(event);
    switch (event.event_type) {
      case 'PAYMENT.AUTHORIZATION.CREATED':
      case 'PAYMENT.AUTHORIZATION.VOIDED': {
        const auth = await this.confirm(new sdk.payments.AuthorizationsGetRequest(id), `authorization ${id}`);
        return auth ? [authorizationAction(auth)] : [{ kind: 'ignored', reason: `PayPal has no authorization ${id}; the event was not applied` }];
      }
      case 'PAYMENT.CAPTURE.COMPLETED': {
        const capture = await this.confirm(new sdk.payments.CapturesGetRequest(id), `capture ${id}`);
        return capture ? [captureAction(capture, {})] : [{ kind: 'ignored', reason: `PayPal has no capture ${id}; the event was not applied` }];
      }
      case 'PAYMENT.CAPTURE.REFUNDED':
      case 'PAYMENT.CAPTURE.REVERSED': {
        const refund = await this.confirm(new sdk.payments.RefundsGetRequest(id), `refund ${id}`);
        return refund ? [refundAction(refund)] : [{ kind: 'ignored', reason: `PayPal has no refund ${id}; the event was not applied` }];
      }
      default:
        return eventActions(event);
    }
  }

  /** GET a resource named by an event; undefined when PayPal answers 404. */
  private async confirm(request: SdkRequest, what: string): Promise<Json | undefined> {
    try {
      return ((await this.client.execute<Json>(request)).result ?? {}) as Json;
    } catch (error) {
      if (isSdkHttpError(error) && error.statusCode === 404) return undefined;
      throw toProviderError(error, `to show ${what}`);
    }
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
