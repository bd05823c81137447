import { ProviderError } from '../../domain/errors';
import type { AuthorizationOutcome } from '../../domain/providers/paypal-gateway';
import type { PaymentAction } from '../../domain/providers/provider-events';
import { authorizationAction } from './paypal.authorization-events';
import { captureAction, orderActions } from './paypal.events';
import { toPayPalValue } from './paypal.money';
import { sdk, type SdkRequest } from './paypal.sdk';

type Json = Record<string, unknown>;


/** What the calls need from the adapter: one SDK call that maps failures to ProviderError. */
export interface AuthorizationCallDeps {
  call<T>(request: SdkRequest, what: string): Promise<T>;
  /** Forwards `PayPal-Mock-Response` (negative testing) only when allowed. */
  mockHeader(mockResponse?: string): Record<string, string>;
}

/** Capture refusals that state the authorization's fate: its facts are read back and applied. */
const CLOSED: ReadonlySet<string> = new Set(['AUTHORIZATION_VOIDED', 'AUTHORIZATION_EXPIRED', 'AUTHORIZATION_DENIED']);
/** Refusals that mean "already done": the order's facts are the answer. */
const DONE: ReadonlySet<string> = new Set(['AUTHORIZATION_ALREADY_CAPTURED', 'ORDER_ALREADY_AUTHORIZED', 'PREVIOUSLY_VOIDED', 'PREVIOUSLY_CAPTURED']);

/**
 * intent=AUTHORIZE through `@paypal/checkout-server-sdk`: Orders v2 authorize, then Payments v2
 * capture or void of the order's authorization. A capture is final (the rest released) unless the
 * admin asked to keep the authorization open for further captures.
 */
export class PayPalAuthorizationCalls {
  constructor(private readonly deps: AuthorizationCallDeps) {}

  /** `POST /v2/checkout/orders/{id}/authorize`, idempotent by PayPal-Request-Id; an order authorized before is read back. */
  async authorizeOrder(paypalOrderId: string, options: { requestId: string; mockResponse?: string }): Promise<AuthorizationOutcome> {
    const request = new sdk.orders.OrdersAuthorizeRequest(paypalOrderId).payPalRequestId(options.requestId).prefer('return=representation').requestBody({});
    Object.assign(request.headers, this.deps.mockHeader(options.mockResponse));
    try {
      return { actions: orderActions(await this.deps.call<Json>(request, 'to authorize the order')) };
    } catch (error) {
      if (error instanceof ProviderError && DONE.has(error.providerCode ?? '')) return { actions: await this.orderFacts(paypalOrderId) };
      throw error;
    }
  }

  /** Captures `amount` of the order's authorization; `finalCapture` false leaves the rest capturable. */
  async captureAuthorization(paypalOrderId: string, input: { amount: number; currency: string; requestId: string; finalCapture: boolean }): Promise<AuthorizationOutcome> {
    const auth = await this.authorizationOf(paypalOrderId);
    const request = new sdk.payments.AuthorizationsCaptureRequest(String(auth.id)).payPalRequestId(input.requestId).prefer('return=representation').requestBody({
      amount: { currency_code: input.currency, value: toPayPalValue(input.amount, input.currency, 'input.amount') },
      final_capture: input.finalCapture,
    });
    try {
      return { actions: [captureAction(await this.deps.call<Json>(request, 'the capture of the authorization'), { providerPaymentId: paypalOrderId })] };
    } catch (error) {
      const code = error instanceof ProviderError ? error.providerCode ?? '' : '';
      if (DONE.has(code)) return { actions: await this.orderFacts(paypalOrderId) };
      if (CLOSED.has(code)) return { actions: await this.orderFacts(paypalOrderId), refused: error as ProviderError };
      throw error;
    }
  }

  /** Voids the order's authorization (`Prefer: return=representation` → the voided authorization). */
  async voidAuthorization(paypalOrderId: string): Promise<AuthorizationOutcome> {
    const auth = await this.authorizationOf(paypalOrderId);
    const request = new sdk.payments.AuthorizationsVoidRequest(String(auth.id));
    request.headers.Prefer = 'return=representation';
    try {
      const voided = await this.deps.call<Json>(request, 'the void of the authorization');
      return { actions: voided && voided.status ? [authorizationAction(voided, { providerPaymentId: paypalOrderId })] : await this.orderFacts(paypalOrderId) };
    } catch (error) {
      if (error instanceof ProviderError && DONE.has(error.providerCode ?? '')) return { actions: await this.orderFacts(paypalOrderId) };
      throw error;
    }
  }

  private async orderFacts(paypalOrderId: string): Promise<PaymentAction[]> {
    return orderActions(await this.deps.call<Json>(new sdk.orders.OrdersGetRequest(paypalOrderId), 'to show the order'));
  }

  /**
   * The order's authorization (PayPal allows one per order; a reauthorization adds a new one, on
   * which later captures are made): the newest still open, else the first. Read from the order, never stored twice.
   */
  private async authorizationOf(paypalOrderId: string): Promise<Json> {
    const order = await this.deps.call<Json>(new sdk.orders.OrdersGetRequest(paypalOrderId), 'to show the order');
    const units = Array.isArray(order.purchase_units) ? (order.purchase_units as Json[]) : [];
    const payments = units[0]?.payments as Json | undefined;
    const all = Array.isArray(payments?.authorizations) ? (payments.authorizations as Json[]) : [];
    const auth = all.filter((a) => a.status === 'CREATED' || a.status === 'PARTIALLY_CAPTURED').at(-1) ?? all[0];
    if (typeof auth?.id !== 'string') {
      throw new ProviderError(`PayPal order ${paypalOrderId} holds no authorization to capture or void`, 'PAYPAL', 'NO_AUTHORIZATION');
    }
    return auth;
  }
}
