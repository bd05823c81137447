import { DisputeEntity, OrderEntity, PaymentEntity } from '../../src/db/entities';
import { DisputeStatus } from '../../src/model/dispute-status';
import { PaymentMethod, PaymentProvider, PaymentStatus } from '../../src/model/payment-types';
import { createOrder, gql, type TestService } from './service.helpers';
import { recordSql, type SqlRecorder } from './sql-recorder';

const DISPUTE_FIELDS = 'id paymentId provider providerDisputeId status reason amount currency createdAt updatedAt';
const WITH_DISPUTES = `query($id: ID!) { order(id: $id) { id status disputes { ${DISPUTE_FIELDS} } } }`;
const THROUGH_FRAGMENT = `query($id: ID!) { order(id: $id) { id ...Shown } } fragment Shown on Order { ... on Order { disputes { ${DISPUTE_FIELDS} } } }`;
const WITHOUT_DISPUTES = `query($id: ID!) { order(id: $id) { id status events { type } } }`;
const LISTED = `query { orders(first: 100) { edges { node { id disputes { ${DISPUTE_FIELDS} } } } } }`;

/**
 * `order(id)` reads the disputes it shows in the same statement as the order (one round trip
 * instead of two in turn), and shows exactly what the separate dispute read of the orders list
 * shows. Shared by the SQLite and PostgreSQL suites: the two aggregate JSON differently.
 */
export function orderDisputesReadCases(start: () => Promise<TestService>): void {
  let ts: TestService;
  let recorder: SqlRecorder;

  beforeAll(async () => {
    ts = await start();
    recorder = recordSql(ts);
  });

  afterAll(async () => {
    await ts?.close();
  });

  /** An order with one paid payment and `count` disputes, stored newest first so the read has to order them. */
  async function orderWithDisputes(count: number): Promise<{ id: string; token: string; disputeIds: string[] }> {
    const created = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const em = ts.service.orm.em.fork();
    const order = await em.findOneOrFail(OrderEntity, { id: created.id });
    const payment = em.create(PaymentEntity, {
      order, provider: PaymentProvider.STRIPE, method: PaymentMethod.STRIPE_CARD, status: PaymentStatus.SUCCEEDED,
      amount: order.amount, currency: order.currency, providerPaymentId: `pi_disputed_${created.id}`,
    });
    em.persist(payment);
    const base = Date.parse('2026-11-01T10:00:00.000Z');
    const disputes = Array.from({ length: count }, (_, i) => em.create(DisputeEntity, {
      order, payment, provider: PaymentProvider.STRIPE, providerDisputeId: `dp_${created.id}_${i}`,
      status: i === 0 ? DisputeStatus.LOST : DisputeStatus.OPEN,
      // The last one leaves its optional facts unset: they read as null, not as missing or "null".
      reason: i === count - 1 ? null : 'fraudulent', amount: i === count - 1 ? null : 100 + i, currency: i === count - 1 ? null : order.currency,
      createdAt: new Date(base + i * 1000), updatedAt: new Date(base + i * 1000 + 1),
    }));
    for (const d of [...disputes].reverse()) em.persist(d);
    await em.flush();
    return { ...created, disputeIds: disputes.map((d) => d.id) };
  }

  /** The statements a request ran, but its token lookup (cached after createOrder, but not necessarily). */
  const readsDuring = async (send: () => Promise<unknown>) => (await recorder.during(send)).filter((q) => !/access_token_hash/.test(q));

  it('shows the disputes of order(id) from the order statement itself, as the orders list shows them', async () => {
    const { id, token, disputeIds } = await orderWithDisputes(3);
    let shown: any;
    const reads = await readsDuring(async () => {
      const res = await gql(ts.graphqlUrl, WITH_DISPUTES, { id }, token);
      expect(res.errors).toBeUndefined();
      shown = res.data!.order;
    });
    expect(reads).toHaveLength(1);
    expect(shown.disputes.map((d: { id: string }) => d.id)).toEqual(disputeIds);
    expect(shown.disputes[0]).toMatchObject({ status: 'LOST', provider: 'STRIPE', reason: 'fraudulent', amount: 100, createdAt: '2026-11-01T10:00:00.000Z', updatedAt: '2026-11-01T10:00:00.001Z' });
    expect(shown.disputes[2]).toMatchObject({ status: 'OPEN', reason: null, amount: null, currency: null });
    const listed = (await gql(ts.graphqlUrl, LISTED, {}, ts.adminKey)).data!.orders.edges.find((e: { node: { id: string } }) => e.node.id === id).node;
    expect(shown.disputes).toEqual(listed.disputes);
  });

  it('reads them the same way through fragments, and not at all when the query does not show them', async () => {
    const { id, token, disputeIds } = await orderWithDisputes(1);
    const viaFragment = await readsDuring(async () => {
      const res = await gql(ts.graphqlUrl, THROUGH_FRAGMENT, { id }, token);
      expect(res.data!.order.disputes.map((d: { id: string }) => d.id)).toEqual(disputeIds);
    });
    expect(viaFragment).toHaveLength(1);
    const without = await readsDuring(async () => {
      const res = await gql(ts.graphqlUrl, WITHOUT_DISPUTES, { id }, token);
      expect(res.data!.order.id).toBe(id);
    });
    expect(without).toHaveLength(1);
    expect(without[0]).not.toMatch(/disputes/);
  });

  it('shows an order without disputes with an empty list', async () => {
    const { id, token } = await orderWithDisputes(0);
    const res = await gql(ts.graphqlUrl, WITH_DISPUTES, { id }, token);
    expect(res.data!.order.disputes).toEqual([]);
  });
}
