import { setTimeout as sleep } from 'node:timers/promises';
import { isSdkHttpError, sdk, type SdkHttpClient, type SdkRequest, type SdkResponse } from './paypal.sdk';

/** Where and as whom the client talks to PayPal (or the built-in sandbox, which speaks the same API). */
export interface PayPalClientOptions {
  clientId: string;
  clientSecret: string;
  /** REST base URL: PAYPAL_API_BASE, the sandbox's URL, or PayPal's sandbox/live host. */
  baseUrl: string;
  /** Buyer-facing web host (informational for the SDK). */
  webUrl: string;
  /** Per-attempt socket timeout; the SDK's own default is 30 s. */
  timeoutMs?: number;
  /** Pauses before each retry of a call whose outcome is unknown (network error, timeout, 5xx). */
  retryDelaysMs?: readonly number[];
}

export const PAYPAL_HOSTS = {
  sandbox: { api: 'https://api-m.sandbox.paypal.com', web: 'https://www.sandbox.paypal.com' },
  live: { api: 'https://api-m.paypal.com', web: 'https://www.paypal.com' },
} as const;

const BaseHttpClient = sdk.core.PayPalHttpClient as unknown as new (environment: object) => SdkHttpClient & { _cache: object };

/**
 * The SDK keys its token cache by client id for the whole process. Each of our clients keeps its
 * own cache instead, so two services in one process (tests) never hand each other's tokens to
 * different PayPal accounts; within a client the token is still reused until it expires.
 */
class OwnCacheHttpClient extends BaseHttpClient {
  constructor(environment: object, private readonly timeoutMs: number) {
    super(environment);
    this._cache = new sdk.core.TokenCache();
  }

  override getTimeout(): number {
    return this.timeoutMs;
  }
}

/** True when PayPal may or may not have acted: the same request (same PayPal-Request-Id) must be retried. */
export function isOutcomeUnknown(error: unknown): boolean {
  if (isSdkHttpError(error)) return error.statusCode >= 500;
  return typeof error === 'object' && error !== null;
}

/**
 * One PayPal REST client per adapter: one SDK `PayPalHttpClient`, so its OAuth token is fetched once
 * and reused until it expires (the SDK refreshes it on expiry or a 401). Calls whose outcome is
 * unknown are retried with the very same request, i.e. the same `PayPal-Request-Id`, which PayPal
 * answers by replaying the first result instead of acting twice.
 */
export class PayPalClient {
  private readonly http: SdkHttpClient;
  private readonly retryDelaysMs: readonly number[];

  constructor(readonly options: PayPalClientOptions) {
    const environment = new sdk.core.PayPalEnvironment(options.clientId, options.clientSecret, options.baseUrl, options.webUrl);
    this.http = new OwnCacheHttpClient(environment, options.timeoutMs ?? 20_000);
    this.retryDelaysMs = options.retryDelaysMs ?? [200, 800];
  }

  async execute<T>(request: SdkRequest): Promise<SdkResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.http.execute<T>(request);
      } catch (error) {
        const delay = this.retryDelaysMs[attempt];
        if (delay === undefined || !isOutcomeUnknown(error)) throw error;
        // The SDK wrote the token into the request's headers; drop it so a refreshed one is used.
        delete request.headers.Authorization;
        await sleep(delay);
      }
    }
  }
}
