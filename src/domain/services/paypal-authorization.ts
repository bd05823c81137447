import { randomUUID } from 'node:crypto';
import type { OrderEntity, PaymentEntity } from '../../db/entities';
import type { PaymentProviders } from '../providers/provider-registry';
import type { PaymentAction } from '../providers/provider-events';
import { BadUserInputError, ConflictError, ProviderError } from '../errors';
import { formatMoney } from '../money';
import { PaymentProvider, type AuthorizationCaptureClaim } from '../../model/payment-types';
import { authorizedRemainder, capturedSoFar } from './authorization-captures';
import type { PaymentAttempts } from './payment-attempts';

/** PayPal's answers while a request with the same PayPal-Request-Id is still being processed. */
const IN_PROGRESS: ReadonlySet<string> = new Set(['PREVIOUS_REQUEST_IN_PROGRESS', 'DUPLICATE_REQUEST_ID']);

/** A capture claimed on a PayPal authorization (`claimCapture` made the claim). */
export interface PayPalCaptureClaim {
  paymentId: string;
  paypalOrderId: string;
  amount: number;
  currency: string;
  final: boolean;
  requestId: string;
}

/**
 * Claims one capture of a PayPal authorization on the attempt (payment-claim.ts), in the caller's
 * order transaction: PayPal takes several captures until a final one, each bounded by what is left
 * authorized. A claim still unanswered is joined by a request for the same amount (its
 * PayPal-Request-Id is reused, so PayPal cannot capture twice) and refused for any other.
 * A capture that takes all that is left is sent as the final one.
 */
export function claimCapture(order: OrderEntity, payment: PaymentEntity, paypalOrderId: string, asked: { amount?: number | null; finalCapture?: boolean | null }): PayPalCaptureClaim {
  const money = (minor: number) => formatMoney(minor, order.currency);
  const claimOf = (c: AuthorizationCaptureClaim) => ({ paymentId: payment.id, paypalOrderId, currency: order.currency, ...c });
  const pending = payment.captureClaim;
  if (pending) {
    // The same amount again is the retry of that capture (its finality stays as claimed: it may already be at PayPal).
    if ((asked.amount ?? pending.amount) === pending.amount) return claimOf(pending);
    throw new ConflictError(
      `A ${pending.final ? 'final ' : ''}capture of ${money(pending.amount)} is already under way for order ${order.id}; another capture${asked.amount ? ` of ${money(asked.amount)}` : ''} is refused until it is finished (call capturePayment again with the same amount)`,
      { paymentId: payment.id, capturing: pending.amount },
    );
  }
  const left = authorizedRemainder(payment);
  const wanted = asked.amount ?? left;
  if (wanted > left) {
    const captured = capturedSoFar(payment);
    throw new BadUserInputError(
      `Cannot capture ${money(wanted)}: only ${money(left)} of the ${money(payment.amount)} authorized is left to capture${captured > 0 ? ` (${money(captured)} captured already)` : ''} (amount ${wanted} > ${left} minor units)`,
      'input.amount',
    );
  }
  // A capture of all that is left closes the authorization whatever was asked: it is sent as the final one.
  const claim = { amount: wanted, final: wanted >= left || (asked.finalCapture ?? true), requestId: `paypal-authcapture-${payment.id}-${randomUUID()}` };
  payment.captureClaim = claim;
  payment.updatedAt = new Date();
  return claimOf(claim);
}

/**
 * The PayPal half of capturePayment / voidPayment: the claimed capture is sent with its own
 * PayPal-Request-Id (new per capture, the same on every retry of that capture) and `final_capture`
 * as claimed, and PayPal's answer is applied as its webhook would be.
 */
export class PayPalAuthorization {
  constructor(
    private readonly providers: PaymentProviders,
    private readonly attempts: PaymentAttempts,
  ) {}

  /**
   * Captures at PayPal and applies what PayPal answered. `settle` ends the claim once PayPal has
   * answered (`why` set after a definite refusal, before the refusal's facts are applied).
   */
  async capture(claim: PayPalCaptureClaim, source: string, settle: (why?: string) => Promise<void>): Promise<void> {
    let outcome;
    try {
      outcome = await this.providers.paypal().captureAuthorization(claim.paypalOrderId, {
        amount: claim.amount, currency: claim.currency, requestId: claim.requestId, finalCapture: claim.final,
      });
    } catch (error) {
      // The same capture still running at PayPal (a concurrent request with our PayPal-Request-Id) keeps the claim, like an unknown outcome.
      const unknown = error instanceof ProviderError && (error.retryable || IN_PROGRESS.has(error.providerCode ?? ''));
      if (error instanceof ProviderError && !unknown) await settle(error.message);
      if (error instanceof ProviderError && unknown) {
        throw new ProviderError(
          `${error.message}. The capture may or may not have happened: call capturePayment again with the same amount to finish it (it reuses the same PayPal-Request-Id, so PayPal cannot capture twice)`,
          'PAYPAL', error.providerCode, true,
        );
      }
      throw error;
    }
    if (outcome.refused) await settle(outcome.refused.message);
    await this.apply(claim.paymentId, outcome.actions, source);
    if (outcome.refused) throw outcome.refused;
    await settle();
  }

  /** Voids the authorization at PayPal and applies the voided authorization (or the order's facts) it answered. */
  async void(paymentId: string, paypalOrderId: string, source: string): Promise<void> {
    const outcome = await this.providers.paypal().voidAuthorization(paypalOrderId);
    await this.apply(paymentId, outcome.actions, source);
  }

  /** Provider facts pinned to our attempt, recorded as its webhook would be (payment-attempts.ts). */
  private apply(paymentId: string, actions: PaymentAction[], source: string): Promise<void> {
    return this.attempts.record(PaymentProvider.PAYPAL, paymentId, { ids: {}, actions }, source);
  }
}
