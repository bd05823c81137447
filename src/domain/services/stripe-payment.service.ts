import type { OrderRecord } from '../../model/order-record';
import type { PayableOrder } from '../../model/payable-order';
import { createHash } from 'node:crypto';
import type { PaymentProviders } from '../providers/provider-registry';
import { BadUserInputError, ConflictError, ProviderError } from '../errors';
import { CaptureMethod, PaymentMethod, PaymentProvider } from '../../model/payment-types';
import { validateRedirectUrl, type RedirectPolicy } from '../redirect-urls';
import type { OrderService } from './order.service';
import { createCallUnanswered, lineOf, openAttempts, unknownOutcome, type PaymentAttempts } from './payment-attempts';
import { assertNothingUnclosable, type AttemptFacts } from './payment-claim';
import type { AttemptAnswer } from '../providers/payment-provider';

const TOKEN = /^(tok|pm)_[A-Za-z0-9_]{1,200}$/;

export interface StripePaymentSettings {
  redirects: RedirectPolicy;
  /** Base URL of this service as the customer's browser sees it (3-D Secure returns to the storefront's `<base>/order.html?id=…`). */
  publicUrl: () => string;
}

export interface CheckoutSessionResult {
  sessionId: string;
  url: string;
  order: OrderRecord;
}

export interface CardChargeResult {
  order: OrderRecord;
  chargeId: string | null;
  requiresAction: boolean;
  clientSecret: string | null;
  nextActionUrl: string | null;
}

/**
 * Stripe Checkout and card-token payments. Every attempt follows the same order, so a crash or a
 * timeout at any point leaves something a retry can finish without a second charge:
 * (1) close or reuse what is still open at Stripe, (2) open the attempt (payment-attempts.ts),
 * (3) call Stripe with an idempotency key derived from the attempt's id, (4) record Stripe's
 * answer exactly as a webhook would be applied.
 */
export class StripePaymentService {
  constructor(
    private readonly providers: PaymentProviders,
    private readonly attempts: PaymentAttempts,
    private readonly orders: OrderService,
    private readonly settings: StripePaymentSettings,
  ) {}

  async createCheckoutSession(orderId: string, successUrl: string, cancelUrl: string, captureMethod: CaptureMethod = CaptureMethod.AUTOMATIC): Promise<CheckoutSessionResult> {
    const source = 'mutation:createCheckoutSession';
    validateRedirectUrl(successUrl, 'input.successUrl', this.settings.redirects);
    validateRedirectUrl(cancelUrl, 'input.cancelUrl', this.settings.redirects);
    const stripe = this.providers.stripe();
    const order = await this.attempts.loadOpenable(orderId);
    assertNothingUnclosable(order, 'a Checkout Session');
    let retry: AttemptFacts | undefined;
    let closed = false;
    for (const attempt of openAttempts(order, PaymentProvider.STRIPE)) {
      if (createCallUnanswered(attempt)) {
        if (attempt.method !== PaymentMethod.STRIPE_CHECKOUT) throw unknownOutcome(attempt);
        retry = attempt;
        continue;
      }
      if (attempt.providerSessionId) {
        // An open session with the same redirects is simply handed out again: still one payable session.
        const view = await stripe.retrieveCheckoutSession(attempt.providerSessionId);
        // (A session is handed out again only for an AUTOMATIC request: a MANUAL one always gets a session that only authorizes.)
        if (view.status === 'open' && view.url && view.successUrl === successUrl && view.cancelUrl === cancelUrl && captureMethod === CaptureMethod.AUTOMATIC) {
          return { sessionId: view.sessionId, url: view.url, order: await this.orders.getOrderOrFail(orderId) };
        }
      }
      await this.attempts.close(attempt, source);
      closed = true;
    }
    // The order as read decides the claim unless a close above changed it (the claim's write checks its version).
    const { paymentId } = await this.open(orderId, PaymentMethod.STRIPE_CHECKOUT, retry, source, closed ? undefined : order);
    const view = await this.callStripe(paymentId, Boolean(retry), source, () =>
      stripe.createCheckoutSession({
        orderId,
        paymentId,
        currency: order.currency,
        lines: order.items.map(lineOf),
        successUrl,
        cancelUrl,
        customerEmail: order.customerEmail,
        idempotencyKey: `checkout-${paymentId}`,
        captureMethod: captureMethod === CaptureMethod.MANUAL ? 'manual' : 'automatic',
      }),
    );
    await this.record(paymentId, { ids: { sessionId: view.sessionId }, actions: view.actions }, source);
    if (view.status !== 'open' || !view.url) {
      throw new ConflictError(`Checkout Session ${view.sessionId} is already ${view.status}; the order is ${(await this.orders.getOrderOrFail(orderId)).status}`);
    }
    return { sessionId: view.sessionId, url: view.url, order: await this.orders.getOrderOrFail(orderId) };
  }

  async chargeWithToken(orderId: string, token: string, returnUrl?: string | null, captureMethod: CaptureMethod = CaptureMethod.AUTOMATIC): Promise<CardChargeResult> {
    const source = 'mutation:chargeWithToken';
    if (typeof token !== 'string' || !TOKEN.test(token)) {
      throw new BadUserInputError('token must be a Stripe card token (tok_…) or PaymentMethod id (pm_…)', 'input.token');
    }
    const returnTo = returnUrl
      ? validateRedirectUrl(returnUrl, 'input.returnUrl', this.settings.redirects)
      : `${this.settings.publicUrl().replace(/\/$/, '')}/order.html?id=${encodeURIComponent(orderId)}&via=card`;
    const stripe = this.providers.stripe();
    const order = await this.attempts.loadOpenable(orderId);
    assertNothingUnclosable(order, 'a card charge');
    // A bad token is refused before any other attempt is touched (a refused request changes nothing).
    const paymentMethod = token.startsWith('pm_') ? token : await stripe.paymentMethodFromToken(token, `payment-method-${orderId}-${createHash('sha256').update(token).digest('hex').slice(0, 32)}`);
    let retry: AttemptFacts | undefined;
    let closed = false;
    for (const attempt of openAttempts(order, PaymentProvider.STRIPE)) {
      if (createCallUnanswered(attempt)) {
        if (attempt.method !== PaymentMethod.STRIPE_CARD) throw unknownOutcome(attempt);
        retry = attempt;
      } else {
        await this.attempts.close(attempt, source);
        closed = true;
      }
    }
    const { paymentId } = await this.open(orderId, PaymentMethod.STRIPE_CARD, retry, source, closed ? undefined : order);
    const outcome = await this.callStripe(paymentId, Boolean(retry), source, () =>
      stripe.chargeCard({
        orderId, paymentId, amount: order.amount, currency: order.currency, paymentMethod, returnUrl: returnTo, customerEmail: order.customerEmail, idempotencyKey: `charge-${paymentId}`,
        captureMethod: captureMethod === CaptureMethod.MANUAL ? 'manual' : 'automatic',
      }),
    );
    // The decline is committed (order FAILED, attempt FAILED) before the error is returned.
    await this.record(paymentId, { ids: { providerPaymentId: outcome.providerPaymentId, chargeId: outcome.chargeId }, actions: outcome.actions }, source);
    if (outcome.decline) throw new ProviderError(outcome.decline.message, 'STRIPE', outcome.decline.code);
    return {
      order: await this.orders.getOrderOrFail(orderId),
      chargeId: outcome.chargeId ?? null,
      requiresAction: outcome.requiresAction,
      clientSecret: outcome.clientSecret ?? null,
      nextActionUrl: outcome.nextActionUrl ?? null,
    };
  }

  private open(orderId: string, method: PaymentMethod, retry: AttemptFacts | undefined, source: string, seen?: PayableOrder) {
    const wanted = `a Stripe ${method} attempt`;
    return this.attempts.open({ orderId, provider: PaymentProvider.STRIPE, method, source, wanted, label: `Stripe ${method} attempt`, retry }, seen);
  }

  /**
   * Runs one Stripe call for an attempt. An unknown outcome (timeout, 5xx) leaves the attempt open
   * so the next call reuses its key; a definite refusal of a new attempt fails it. A refusal of a
   * retried attempt (e.g. different parameters under the same key) leaves it open: the first
   * request's outcome is still unknown.
   */
  private async callStripe<T>(paymentId: string, retried: boolean, source: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ProviderError && !error.retryable && !retried) {
        await this.record(paymentId, { ids: {}, actions: [{ kind: 'payment_failed', ref: { paymentId }, code: error.providerCode, message: error.message }] }, source);
      }
      throw error;
    }
  }

  private record(paymentId: string, answer: AttemptAnswer, source: string): Promise<void> {
    return this.attempts.record(PaymentProvider.STRIPE, paymentId, answer, source);
  }
}
