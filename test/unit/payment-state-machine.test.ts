import { DisputeStatus } from '../../src/model/dispute-status';
import {
  disputeMayBecome, movePayment, moveRefund, PAYMENT_TRANSITIONS, paymentMayBecome, refundMayBecome,
} from '../../src/domain/payment-state-machine';
import { PaymentStatus, RefundStatus } from '../../src/model/payment-types';

const { OPEN, PROCESSING, REQUIRES_ACTION, AUTHORIZED, FAILED, EXPIRED, CANCELED, SUCCEEDED } = PaymentStatus;

/**
 * The forward order of provider facts, written out independently of the table: a fact moves an
 * attempt up a rank, and a same-rank FAILED (a closed attempt that then fails) is still news.
 */
const RANK: Record<PaymentStatus, number> = { OPEN: 0, PROCESSING: 1, REQUIRES_ACTION: 1, AUTHORIZED: 1.5, FAILED: 2, EXPIRED: 2, CANCELED: 2, SUCCEEDED: 3 };
const forward = (from: PaymentStatus, to: PaymentStatus) =>
  from !== to && (RANK[to] > RANK[from] || (RANK[to] === RANK[from] && to === FAILED && from !== SUCCEEDED));

describe('payment attempt lifecycle (declared table)', () => {
  const all = Object.values(PaymentStatus);

  it.each(all.flatMap((from) => all.map((to) => [from, to] as const)))('a fact %s → %s is allowed exactly when it moves forward', (from, to) => {
    expect(paymentMayBecome(from, to)).toBe(forward(from, to));
  });

  it('SUCCEEDED is final for facts, and no fact reopens an attempt', () => {
    expect(PAYMENT_TRANSITIONS.fact[SUCCEEDED]).toEqual([]);
    for (const from of all) expect(paymentMayBecome(from, OPEN)).toBe(false);
  });

  it('a capture claim marks PROCESSING, and its release goes back to where the claim started', () => {
    for (const from of [OPEN, REQUIRES_ACTION, AUTHORIZED, FAILED]) {
      expect(paymentMayBecome(from, PROCESSING, 'claim')).toBe(true);
      expect(paymentMayBecome(PROCESSING, from, 'release')).toBe(true);
    }
    for (const from of [PROCESSING, CANCELED, EXPIRED]) expect(paymentMayBecome(from, PROCESSING, 'claim')).toBe(false);
    expect(paymentMayBecome(OPEN, FAILED, 'release')).toBe(false);
  });

  it('movePayment is the guard: it writes only a legal move and says whether it did', () => {
    const payment = { status: CANCELED, updatedAt: new Date(0) };
    expect(movePayment(payment, PROCESSING)).toBe(false);
    expect(payment).toEqual({ status: CANCELED, updatedAt: new Date(0) });
    expect(movePayment(payment, SUCCEEDED)).toBe(true);
    expect(payment.status).toBe(SUCCEEDED);
    expect(payment.updatedAt.getTime()).toBeGreaterThan(0);
  });
});

describe('refund and dispute lifecycles (declared tables)', () => {
  it('a refund leaves PENDING once, and a succeeded one may still fail, never return', () => {
    expect(refundMayBecome(RefundStatus.PENDING, RefundStatus.SUCCEEDED)).toBe(true);
    expect(refundMayBecome(RefundStatus.SUCCEEDED, RefundStatus.FAILED)).toBe(true);
    expect(refundMayBecome(RefundStatus.SUCCEEDED, RefundStatus.PENDING)).toBe(false);
    expect(refundMayBecome(RefundStatus.FAILED, RefundStatus.SUCCEEDED)).toBe(false);
    const refund = { status: RefundStatus.FAILED, updatedAt: new Date(0) };
    expect(moveRefund(refund, RefundStatus.CANCELED)).toBe(false);
    expect(refund.status).toBe(RefundStatus.FAILED);
  });

  it('a dispute is decided once', () => {
    expect(disputeMayBecome(DisputeStatus.OPEN, DisputeStatus.LOST)).toBe(true);
    expect(disputeMayBecome(DisputeStatus.WON, DisputeStatus.LOST)).toBe(false);
    expect(disputeMayBecome(DisputeStatus.LOST, DisputeStatus.OPEN)).toBe(false);
  });
});
