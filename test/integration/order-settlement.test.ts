import { OrderEntity, OrderEventEntity, PaymentEntity } from '../../src/db/entities';
import { openDatabase, type Orm } from '../../src/db/orm';
import { OrderStatus } from '../../src/model/order-status';
import { PaymentMethod, PaymentProvider, PaymentStatus } from '../../src/model/payment-types';
import { settleOrder, VOIDED } from '../../src/domain/services/order-settlement';
import { inOrderTransaction } from '../../src/domain/services/order-transaction';
import type { OrderStatusChange } from '../../src/model/status-change';

/** settleOrder on a real (in-memory) database: a target the table refuses must not move the order at all. */
describe('settleOrder', () => {
  let orm: Orm;
  const published: OrderStatusChange[] = [];
  const sink = { publish: (c: OrderStatusChange) => published.push(c) };

  beforeAll(async () => {
    orm = await openDatabase({ kind: 'sqlite', path: ':memory:' });
  });

  afterAll(async () => {
    await orm.close();
  });

  async function orderWith(status: OrderStatus, paymentStatus: PaymentStatus, extra: Partial<PaymentEntity> = {}): Promise<string> {
    const em = orm.em.fork();
    const order = em.create(OrderEntity, { currency: 'USD', amount: 5000, accessTokenHash: `hash-${Math.random()}`, status });
    em.persist(order);
    em.persist(em.create(PaymentEntity, { order, provider: PaymentProvider.STRIPE, method: PaymentMethod.STRIPE_CARD, amount: 5000, currency: 'USD', status: paymentStatus, ...extra }));
    await em.flush();
    return order.id;
  }

  async function settle(id: string): Promise<OrderEntity> {
    await inOrderTransaction(orm.em, sink, async (uow) => {
      const order = await uow.em.findOneOrFail(OrderEntity, { id }, { populate: ['payments', 'refunds'] });
      settleOrder(uow, order, 'test:settle');
    });
    return orm.em.fork().findOneOrFail(OrderEntity, { id });
  }

  it('never passes through PAID when no money was captured (REQUIRES_ACTION with an expired attempt)', async () => {
    const id = await orderWith(OrderStatus.REQUIRES_ACTION, PaymentStatus.EXPIRED);
    const order = await settle(id);
    expect(order.status).toBe(OrderStatus.REQUIRES_ACTION);
    expect(published.filter((c) => c.orderId === id)).toEqual([]);
    const log = await orm.em.fork().find(OrderEventEntity, { order: id });
    expect(log.map((e) => e.type)).toEqual(['NEEDS_ATTENTION']);
  });

  it('still takes the PAID detour when the money was captured (FAILED order, refund fact first)', async () => {
    const id = await orderWith(OrderStatus.FAILED, PaymentStatus.SUCCEEDED);
    const order = await settle(id);
    expect(order.status).toBe(OrderStatus.PAID);
    expect(published.filter((c) => c.orderId === id).map((c) => c.status)).toEqual([OrderStatus.PAID]);
  });

  describe('manual capture', () => {
    it.each([
      ['an authorization', OrderStatus.PENDING, PaymentStatus.AUTHORIZED, {}, OrderStatus.AUTHORIZED, 0],
      ['a full capture', OrderStatus.AUTHORIZED, PaymentStatus.SUCCEEDED, { capturedAmount: 5000 }, OrderStatus.PAID, 5000],
      ['a partial capture', OrderStatus.AUTHORIZED, PaymentStatus.SUCCEEDED, { capturedAmount: 1200 }, OrderStatus.PAID, 1200],
      ['a void', OrderStatus.AUTHORIZED, PaymentStatus.CANCELED, { failureCode: VOIDED }, OrderStatus.CANCELED, 0],
      ['a lapse', OrderStatus.AUTHORIZED, PaymentStatus.EXPIRED, {}, OrderStatus.EXPIRED, 0],
      ['an old authorization event after the capture', OrderStatus.PAID, PaymentStatus.SUCCEEDED, { capturedAmount: 5000 }, OrderStatus.PAID, 5000],
    ] as const)('%s: %s order with a %s attempt → %s, amountCaptured %i', async (_what, from, payment, extra, to, captured) => {
      const id = await orderWith(from, payment, extra);
      const order = await settle(id);
      expect(order.status).toBe(to);
      expect(order.amountCaptured).toBe(captured);
    });
  });
});
