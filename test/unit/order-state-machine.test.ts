import { AppError, ConflictError } from '../../src/domain/errors';
import { ORDER_STATUSES, OrderStatus } from '../../src/model/order-status';
import {
  allowedTransitions,
  assertTransition,
  canTransition,
  isBackwards,
  isAuthorizationLapse,
  isDisputeResolution,
  isRefundReversal,
  isPaymentOpenable,
  isTerminal,
  ORDER_TRANSITIONS,
  progressRank,
} from '../../src/domain/order-state-machine';

const {
  CREATED, PENDING, REQUIRES_ACTION, PAID, PARTIALLY_REFUNDED, REFUNDED, FAILED, CANCELED, EXPIRED, DISPUTED, AUTHORIZED,
} = OrderStatus;

/** Written out independently of the source table, so any change to it fails here. */
const EXPECTED: Record<OrderStatus, OrderStatus[]> = {
  CREATED: [PENDING, REQUIRES_ACTION, PAID, FAILED, CANCELED, AUTHORIZED],
  PENDING: [REQUIRES_ACTION, PAID, FAILED, CANCELED, EXPIRED, AUTHORIZED],
  REQUIRES_ACTION: [PENDING, PAID, FAILED, CANCELED, AUTHORIZED],
  FAILED: [PENDING, REQUIRES_ACTION, PAID, FAILED, CANCELED, AUTHORIZED],
  EXPIRED: [PENDING, REQUIRES_ACTION, PAID, CANCELED, AUTHORIZED],
  AUTHORIZED: [PAID, CANCELED, EXPIRED],
  PAID: [PARTIALLY_REFUNDED, REFUNDED, DISPUTED],
  PARTIALLY_REFUNDED: [PARTIALLY_REFUNDED, REFUNDED, DISPUTED, PAID],
  DISPUTED: [PAID, PARTIALLY_REFUNDED, REFUNDED, DISPUTED],
  REFUNDED: [PARTIALLY_REFUNDED, PAID],
  CANCELED: [],
};

const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));

describe('OrderStatus', () => {
  it('has exactly the contract values', () => {
    expect([...ORDER_STATUSES].sort()).toEqual(
      ['AUTHORIZED', 'CANCELED', 'CREATED', 'DISPUTED', 'EXPIRED', 'FAILED', 'PAID', 'PARTIALLY_REFUNDED', 'PENDING', 'REFUNDED', 'REQUIRES_ACTION'],
    );
    for (const status of ORDER_STATUSES) expect(OrderStatus[status]).toBe(status);
  });
});

describe('order transition table', () => {
  it('covers all 121 pairs', () => {
    expect(pairs).toHaveLength(121);
  });

  it.each(pairs)('%s → %s', (from, to) => {
    const legal = EXPECTED[from].includes(to);
    expect(canTransition(from, to)).toBe(legal);
    if (legal) {
      expect(() => assertTransition(from, to)).not.toThrow();
      return;
    }
    let thrown: unknown;
    try {
      assertTransition(from, to);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConflictError);
    const error = thrown as AppError;
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(`Order cannot go from ${from} to ${to}`);
    expect(error.details).toEqual({ from, to });
  });

  it.each(ORDER_STATUSES)('allowedTransitions(%s) matches the expected list', (from) => {
    expect([...allowedTransitions(from)].sort()).toEqual([...EXPECTED[from]].sort());
  });

  it('is frozen', () => {
    expect(Object.isFrozen(ORDER_TRANSITIONS)).toBe(true);
    for (const status of ORDER_STATUSES) expect(Object.isFrozen(ORDER_TRANSITIONS[status])).toBe(true);
  });
});

describe('status predicates', () => {
  it('only CANCELED is terminal (a refund can fail after it succeeded, so REFUNDED can be left)', () => {
    expect(ORDER_STATUSES.filter(isTerminal).sort()).toEqual([CANCELED]);
  });

  it('a payment may be opened from CREATED, PENDING, REQUIRES_ACTION, FAILED, EXPIRED', () => {
    expect(ORDER_STATUSES.filter(isPaymentOpenable).sort()).toEqual(
      [CREATED, EXPIRED, FAILED, PENDING, REQUIRES_ACTION],
    );
  });

  it('every payment-openable status can still become PAID', () => {
    for (const status of ORDER_STATUSES.filter(isPaymentOpenable)) expect(canTransition(status, PAID)).toBe(true);
  });
});

describe('progress rank', () => {
  it.each([
    [CREATED, 0], [PENDING, 1], [REQUIRES_ACTION, 1], [FAILED, 1], [EXPIRED, 1],
    [AUTHORIZED, 1.5], [PAID, 2], [PARTIALLY_REFUNDED, 3], [DISPUTED, 4], [REFUNDED, 5], [CANCELED, 6],
  ])('%s has rank %d', (status, rank) => {
    expect(progressRank(status)).toBe(rank);
  });

  it.each([
    [PAID, PENDING, true],
    [PAID, FAILED, true],
    [PAID, REQUIRES_ACTION, true],
    [PAID, EXPIRED, true],
    [REFUNDED, PAID, true],
    [REFUNDED, PARTIALLY_REFUNDED, true],
    [PARTIALLY_REFUNDED, PAID, true],
    [DISPUTED, PAID, false],
    [DISPUTED, PARTIALLY_REFUNDED, false],
    [DISPUTED, DISPUTED, false],
    [DISPUTED, PENDING, true],
    [DISPUTED, CREATED, true],
    [REFUNDED, DISPUTED, true],
    [PARTIALLY_REFUNDED, DISPUTED, false],
    [CANCELED, PAID, true],
    [PENDING, CREATED, true],
    [CREATED, PENDING, false],
    [PENDING, PAID, false],
    [FAILED, PENDING, false],
    [PENDING, FAILED, false],
    [EXPIRED, REQUIRES_ACTION, false],
    [PAID, PAID, false],
    [PAID, REFUNDED, false],
    [PARTIALLY_REFUNDED, PARTIALLY_REFUNDED, false],
    [PAID, DISPUTED, false],
    [DISPUTED, REFUNDED, false],
    [PENDING, AUTHORIZED, false],
    [AUTHORIZED, PAID, false],
    [AUTHORIZED, CANCELED, false],
    [AUTHORIZED, EXPIRED, false],
    [AUTHORIZED, PENDING, true],
    [AUTHORIZED, REQUIRES_ACTION, true],
    [PAID, AUTHORIZED, true],
    [REFUNDED, AUTHORIZED, true],
  ])('isBackwards(%s, %s) is %p', (from, to, expected) => {
    expect(isBackwards(from, to)).toBe(expected);
  });
});

describe('refund reversal', () => {
  it('only REFUNDED → PARTIALLY_REFUNDED / PAID and PARTIALLY_REFUNDED → PAID undo a refund, and all are legal moves that rank backwards', () => {
    const reversals = pairs.filter(([from, to]) => isRefundReversal(from, to));
    expect(reversals.map(([f, t]) => `${f}>${t}`).sort()).toEqual(['PARTIALLY_REFUNDED>PAID', 'REFUNDED>PAID', 'REFUNDED>PARTIALLY_REFUNDED']);
    for (const [from, to] of reversals) {
      expect(canTransition(from, to)).toBe(true);
      expect(isBackwards(from, to)).toBe(true);
    }
  });
});

describe('dispute resolution', () => {
  it('only DISPUTED → PAID and DISPUTED → PARTIALLY_REFUNDED resolve a dispute, and both are legal moves', () => {
    const resolutions = pairs.filter(([from, to]) => isDisputeResolution(from, to));
    expect(resolutions).toEqual([[DISPUTED, PAID], [DISPUTED, PARTIALLY_REFUNDED]]);
    for (const [from, to] of resolutions) expect(canTransition(from, to)).toBe(true);
  });

  it('every legal move that lowers the rank is a dispute resolution, a lapsed authorization or a refund reversal; only the reversals count as backwards', () => {
    const lowering = pairs.filter(([from, to]) => canTransition(from, to) && progressRank(to) < progressRank(from));
    expect(lowering.every(([from, to]) => isDisputeResolution(from, to) || isAuthorizationLapse(from, to) || isRefundReversal(from, to))).toBe(true);
    expect(lowering.filter(([from, to]) => isBackwards(from, to)).every(([from, to]) => isRefundReversal(from, to))).toBe(true);
  });
});

describe('manual capture (authorize now, capture later)', () => {
  it('AUTHORIZED leaves only by a capture (PAID), a void (CANCELED) or a lapse (EXPIRED)', () => {
    expect([...allowedTransitions(AUTHORIZED)].sort()).toEqual([CANCELED, EXPIRED, PAID]);
  });

  it('every status a payment may be opened from can become AUTHORIZED', () => {
    for (const status of ORDER_STATUSES.filter(isPaymentOpenable)) expect(canTransition(status, AUTHORIZED)).toBe(true);
  });

  it('held funds block a new attempt: the authorization is captured or voided first', () => {
    expect(isPaymentOpenable(AUTHORIZED)).toBe(false);
  });

  it('no money status returns to AUTHORIZED', () => {
    for (const from of [PAID, PARTIALLY_REFUNDED, REFUNDED, DISPUTED, CANCELED]) expect(canTransition(from, AUTHORIZED)).toBe(false);
  });

  it('only AUTHORIZED → EXPIRED is a lapse', () => {
    expect(pairs.filter(([from, to]) => isAuthorizationLapse(from, to))).toEqual([[AUTHORIZED, EXPIRED]]);
  });
});
