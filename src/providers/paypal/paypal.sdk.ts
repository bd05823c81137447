/**
 * The one place that loads `@paypal/checkout-server-sdk` (deprecated upstream, untyped). Only the
 * slice this adapter uses is typed here, so swapping the SDK means rewriting this folder only.
 */

/** A request object as the SDK builds it: path, verb, headers and an optional JSON body. */
export interface SdkRequest {
  path: string;
  verb: string;
  body: unknown;
  headers: Record<string, string>;
}

/** What `PayPalHttpClient.execute` resolves with. */
export interface SdkResponse<T> {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  result?: T;
}

/** The SDK's HTTP client (paypalhttp + OAuth injector). */
export interface SdkHttpClient {
  execute<T>(request: SdkRequest): Promise<SdkResponse<T>>;
  getTimeout(): number;
}

type RequestWithBody = SdkRequest & { requestBody(body: unknown): RequestWithBody; prefer(value: string): RequestWithBody };
type IdempotentRequest = RequestWithBody & { payPalRequestId(id: string): IdempotentRequest };

interface CheckoutServerSdk {
  core: {
    PayPalEnvironment: new (clientId: string, clientSecret: string, baseUrl: string, webUrl: string) => object;
    PayPalHttpClient: new (environment: object) => SdkHttpClient;
    TokenCache: new () => object;
  };
  orders: {
    OrdersCreateRequest: new () => RequestWithBody;
    OrdersGetRequest: new (orderId: string) => SdkRequest;
    OrdersCaptureRequest: new (orderId: string) => IdempotentRequest;
    OrdersAuthorizeRequest: new (orderId: string) => IdempotentRequest;
  };
  payments: {
    CapturesRefundRequest: new (captureId: string) => IdempotentRequest;
    CapturesGetRequest: new (captureId: string) => SdkRequest;
    RefundsGetRequest: new (refundId: string) => SdkRequest;
    AuthorizationsGetRequest: new (authorizationId: string) => SdkRequest;
    AuthorizationsCaptureRequest: new (authorizationId: string) => IdempotentRequest;
    /** Has no prefer()/requestBody() helpers in the SDK: headers are set directly. */
    AuthorizationsVoidRequest: new (authorizationId: string) => SdkRequest;
  };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const sdk: CheckoutServerSdk = require('@paypal/checkout-server-sdk');

/** The SDK's HttpError: `statusCode` plus the raw response body in `message`. */
export interface SdkHttpError extends Error {
  statusCode: number;
  headers?: Record<string, string | string[] | undefined>;
}

export function isSdkHttpError(error: unknown): error is SdkHttpError {
  return typeof error === 'object' && error !== null && typeof (error as Partial<SdkHttpError>).statusCode === 'number';
}

/** Node's own errors (socket hang up, ECONNRESET) come from another realm under some runners: no `instanceof Error`. */
export function errorMessage(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
