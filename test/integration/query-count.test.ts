import { OrderEntity, PaymentEntity, RefundEntity } from '../../src/db/entities';
import { OrderEventEntity } from '../../src/db/entities/order-event.entity';
import { PaymentMethod, PaymentProvider, PaymentStatus, RefundStatus } from '../../src/model/payment-types';
import { createOrder, gql, ORDER_FIELDS, startTestService, type TestService } from '../helpers/service.helpers';
import { recordSql, type SqlRecorder } from '../helpers/sql-recorder';

/** Reading orders costs a fixed number of SQL queries, however many rows they have (no N+1). */
describe('bounded SQL queries', () => {
  let ts: TestService;
  let recorder: SqlRecorder;

  beforeAll(async () => {
    ts = await startTestService({ SANDBOX: 'off' });
    recorder = recordSql(ts);
  });

  afterAll(async () => {
    await ts.close();
  });

  /** Runs `send` and returns the SQL statements the server ran meanwhile (`recorder.rows` then holds the rows they returned). */
  const queriesDuring = (send: () => Promise<unknown>) => recorder.during(send);
  const execute = (sql: string, params: unknown[] = []) => ts.service.orm.em.getConnection().execute(sql, params);

  /** Creates an order with `lines` items and gives it `extras` payments, refunds and extra log events (stored directly as fixtures). */
  async function orderWith(lines: number, extras: number): Promise<{ id: string; token: string }> {
    const skus = ['TSHIRT-BLK', 'MUG-WHT', 'STICKER-PACK'];
    const items = Array.from({ length: lines }, (_, i) => ({ sku: skus[i % skus.length], quantity: 1 + i }));
    const created = await createOrder(ts.graphqlUrl, items.slice(0, Math.min(lines, skus.length)));
    const em = ts.service.orm.em.fork();
    const order = await em.findOneOrFail(OrderEntity, { id: created.id });
    for (let i = 0; i < extras; i++) {
      const payment = em.create(PaymentEntity, {
        order,
        provider: PaymentProvider.STRIPE,
        method: PaymentMethod.STRIPE_CARD,
        status: PaymentStatus.FAILED,
        amount: order.amount,
        currency: order.currency,
        providerPaymentId: `pi_fixture_${created.id}_${i}`,
      });
      em.persist(payment);
      em.persist(em.create(RefundEntity, { order, payment, amount: 1, currency: order.currency, status: RefundStatus.FAILED }));
      em.persist(em.create(OrderEventEntity, { order, type: 'EVENT_IGNORED', source: `stripe:evt_fixture_${i}` }));
    }
    await em.flush();
    return created;
  }

  const ORDER = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
  const ORDERS = `query($first: Int) { orders(first: $first) { totalCount edges { node { ${ORDER_FIELDS} } } } }`;

  it('reads one order with its items, payments, refunds and events in the same number of queries for 1 or 20 of each', async () => {
    const small = await orderWith(1, 1);
    const large = await orderWith(3, 20);

    const readSmall = await queriesDuring(async () => {
      const res = await gql(ts.graphqlUrl, ORDER, { id: small.id }, small.token);
      expect(res.data!.order.payments).toHaveLength(1);
    });
    const readLarge = await queriesDuring(async () => {
      const res = await gql(ts.graphqlUrl, ORDER, { id: large.id }, large.token);
      expect(res.data!.order.payments).toHaveLength(20);
      expect(res.data!.order.refunds).toHaveLength(20);
      expect(res.data!.order.events).toHaveLength(21);
      expect(res.data!.order.items).toHaveLength(3);
    });
    // Rows grow with the data, not with its cartesian product (3 × 20 × 20 × 21 when to-many relations are joined).
    expect(recorder.rows).toBeLessThanOrEqual(1 + 1 + 3 + 20 + 20 + 21);
    expect(readLarge.length).toBe(readSmall.length);
    // One token lookup, the order, and one query per relation.
    expect(readSmall.length).toBeLessThanOrEqual(6);
  });

  it('lists 1 or 20 orders, each with relations, in the same number of queries', async () => {
    await orderWith(2, 2);
    const one = await queriesDuring(async () => {
      const res = await gql(ts.graphqlUrl, ORDERS, { first: 1 }, ts.adminKey);
      expect(res.data!.orders.edges).toHaveLength(1);
    });
    while ((await gql(ts.graphqlUrl, '{ orders { totalCount } }', undefined, ts.adminKey)).data!.orders.totalCount < 20) {
      await orderWith(3, 3);
    }
    const twenty = await queriesDuring(async () => {
      const res = await gql(ts.graphqlUrl, ORDERS, { first: 20 }, ts.adminKey);
      expect(res.data!.orders.edges).toHaveLength(20);
    });
    expect(recorder.rows).toBeLessThan(2000);
    expect(twenty.length).toBe(one.length);
    // A count, the page, and one query per relation.
    expect(twenty.length).toBeLessThanOrEqual(6);
  });

  it('creates an order with many lines in a number of statements that does not grow per line', async () => {
    const oneLine = await queriesDuring(() => createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]));
    const threeLines = await queriesDuring(() =>
      createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'TSHIRT-BLK', quantity: 1 }, { sku: 'STICKER-PACK', quantity: 1 }]),
    );
    expect(threeLines.length).toBe(oneLine.length);
    expect(oneLine.filter((q) => /^begin/i.test(q))).toHaveLength(1);
    expect(oneLine.filter((q) => /^commit/i.test(q))).toHaveLength(1);
  });

  it('reads the catalog in one query and creates an order in one read plus one transaction of three inserts', async () => {
    const products = await queriesDuring(() => gql(ts.graphqlUrl, '{ products { sku unitAmount currency } }'));
    expect(products).toHaveLength(1);
    const created = await queriesDuring(() => createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'TSHIRT-BLK', quantity: 2 }]));
    // The catalog read, then begin, orders, order_items (one multi-row insert), order_events, commit: nothing read back.
    expect(created.map((q) => q.split(' ').slice(0, 3).join(' ').replace(/[`";]/g, '').toLowerCase())).toEqual([
      'select sku, name,', 'begin', 'insert into orders', 'insert into order_items', 'insert into order_events', 'commit',
    ]);
  });

  it('cancels an order in the same number of statements for 1 or 20 payments and events', async () => {
    const small = await orderWith(1, 0);
    const large = await orderWith(3, 20);
    await execute(`update payments set status = 'CANCELED' where order_id = ?`, [large.id]);
    const cancel = `mutation($id: ID!) { cancelOrder(orderId: $id) { ${ORDER_FIELDS} } }`;
    const cancelSmall = await queriesDuring(async () => expect((await gql(ts.graphqlUrl, cancel, { id: small.id }, small.token)).data!.cancelOrder.status).toBe('CANCELED'));
    const cancelLarge = await queriesDuring(async () => expect((await gql(ts.graphqlUrl, cancel, { id: large.id }, large.token)).data!.cancelOrder.events).toHaveLength(22));
    expect(cancelLarge.length).toBe(cancelSmall.length);
    expect(cancelSmall.length).toBeLessThanOrEqual(10);
  });

  it('concurrent requests share the order and dispute reads: two statements each for 20 readers, however many orders', async () => {
    const orders = await Promise.all(Array.from({ length: 20 }, () => orderWith(1, 0)));
    const reader = ts.service.services.orderStore.reader;
    const read = await queriesDuring(async () => {
      // All submitted in one tick, as concurrent requests' loaders do: the first runs at once, the rest wait for it and go together.
      const [found, disputes] = await Promise.all([
        Promise.all(orders.map(({ id }) => reader.load([id]))),
        Promise.all(orders.map(({ id }) => reader.disputesOf([id]))),
      ]);
      expect(found.map(([order]) => order?.id)).toEqual(orders.map(({ id }) => id));
      expect(disputes).toEqual(orders.map(() => [[]]));
    });
    expect(read.filter((q) => /from [`"]?disputes/i.test(q))).toHaveLength(2);
    expect(read.filter((q) => /from [`"]?orders[`"]? as [`"]?o/i.test(q))).toHaveLength(2);
  });

  it('an order read and flushed unchanged writes nothing (its dates compare equal to what was loaded)', async () => {
    const { id } = await orderWith(2, 2);
    const em = ts.service.orm.em.fork();
    const writes = await queriesDuring(async () => {
      const order = await em.findOneOrFail(OrderEntity, { id }, { populate: ['payments', 'refunds', 'events'] });
      expect(order.payments).toHaveLength(2);
      await em.flush();
    });
    expect(writes.filter((q) => !/^select/i.test(q))).toEqual([]);
  });
});
