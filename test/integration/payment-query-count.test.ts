import { buyer, CANCEL_URL as PAYPAL_CANCEL_URL, capture, CREATE as CREATE_PAYPAL, RETURN_URL } from '../e2e/paypal.kit';
import { charge, checkout, holdWebhooks, refund } from '../e2e/stripe.e2e-helpers';
import { control } from '../helpers/sandbox.helpers';
import { createOrder, gql, startTestService, type TestService } from '../helpers/service.helpers';
import { recordSql, type SqlRecorder } from '../helpers/sql-recorder';

/**
 * The payment mutations cost a fixed number of SQL statements, whatever the order holds (1 or 3
 * lines, none or 20 earlier log events). Webhooks are held meanwhile, so only the mutation's own
 * statements are counted.
 */
/** At most this many statements per payment mutation (webhooks held), whatever the order holds. */
const EXPECTED: Record<string, number> = { createCheckoutSession: 9, chargeWithToken: 18, createPayPalOrder: 12 };
/**
 * capturePayPalOrder of an approved order (webhooks held): the order and its PayPal attempt read,
 * PayPal's capture, its answer applied by the reconciler in one transaction, and the order read
 * back in one statement. 18 statements for 1 line or 3, 1 event or 21 (measured 30 Nov).
 */
const CAPTURE_STATEMENTS = 18;

describe('bounded SQL for the payment mutations', () => {
  let ts: TestService;
  let recorder: SqlRecorder;

  beforeAll(async () => {
    ts = await startTestService();
    recorder = recordSql(ts);
    await holdWebhooks(ts, true);
    const held = await control(ts.service.sandbox!, 'POST', '/webhooks/hold', { provider: 'paypal', hold: true });
    expect(held.status).toBe(200);
  });

  afterAll(async () => {
    await ts.close();
  });

  /** A small order (one line, one event) and a large one (three lines, 21 events). */
  async function twoOrders() {
    const small = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const large = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }, { sku: 'TSHIRT-BLK', quantity: 2 }, { sku: 'STICKER-PACK', quantity: 3 }]);
    const execute = (sql: string, params: unknown[]) => ts.service.orm.em.getConnection().execute(sql, params);
    for (let i = 0; i < 20; i++) {
      await execute(`insert into order_events (order_id, type, source, "at") values (?, 'EVENT_IGNORED', ?, ?)`, [large.id, `test:${i}`, Date.now()]);
    }
    return { small, large };
  }

  async function statements(send: () => Promise<{ errors?: unknown }>): Promise<number> {
    const sql = await recorder.during(async () => expect((await send()).errors).toBeUndefined());
    return sql.length;
  }

  it.each([
    ['createCheckoutSession', (o: { id: string; token: string }) => checkout(ts, o.id, o.token)],
    ['chargeWithToken', (o: { id: string; token: string }) => charge(ts, o.id, o.token, 'tok_visa')],
    ['createPayPalOrder', (o: { id: string; token: string }) =>
      gql(ts.graphqlUrl, CREATE_PAYPAL, { input: { orderId: o.id, returnUrl: RETURN_URL, cancelUrl: PAYPAL_CANCEL_URL } }, o.token)],
  ])('%s runs as many statements for a large order as for a small one', async (_name, pay) => {
    const { small, large } = await twoOrders();
    const forSmall = await statements(() => pay(small));
    const forLarge = await statements(() => pay(large));
    expect(forLarge).toBe(forSmall);
    // The order read (one plain statement), the claim (BEGIN, the version-checked UPDATE of the
    // order, the attempt's INSERT, its log entries' INSERT, the outbox INSERT of the move to
    // PENDING, COMMIT), the provider's answer, and the answer's read-back in one statement.
    // createCheckoutSession's answer only teaches ids: one UPDATE (9; 16 when the claim and the
    // answer went through the unit of work). chargeWithToken's answer is applied by the
    // reconciler on detached facts (detached-facts.ts, as the webhook applier's batch does): in
    // one plain transaction the order (found by a subquery on the attempt's id), its payments,
    // refunds and disputes, then the order and the attempt as changed, the log entry and its
    // outbox row (18, every one on the driver; 19 with the attempt's order id read in a statement
    // of its own, 23 through the ORM before).
    // createPayPalOrder's answer is the PayPal order id and its log entry in one short transaction (12).
    expect(forSmall).toBeLessThanOrEqual(EXPECTED[_name]);
  });

  it('capturePayPalOrder runs as many statements for a large order as for a small one', async () => {
    const { small, large } = await twoOrders();
    for (const o of [small, large]) {
      const created = await gql(ts.graphqlUrl, CREATE_PAYPAL, { input: { orderId: o.id, returnUrl: RETURN_URL, cancelUrl: PAYPAL_CANCEL_URL } }, o.token);
      expect(created.errors).toBeUndefined();
      await buyer(created.data!.createPayPalOrder.approveUrl, 'approve');
    }
    const forSmall = await statements(async () => {
      const res = await capture(ts, small.id, small.token);
      expect(res.data?.capturePayPalOrder.status).toBe('PAID');
      return res;
    });
    const forLarge = await statements(() => capture(ts, large.id, large.token));
    expect(forLarge).toBe(forSmall);
    expect(forSmall).toBeLessThanOrEqual(CAPTURE_STATEMENTS);
  });

  it('refundOrder runs as many statements for a large order as for a small one', async () => {
    const { small, large } = await twoOrders();
    for (const o of [small, large]) expect((await charge(ts, o.id, o.token, 'tok_visa')).errors).toBeUndefined();
    const forSmall = await statements(() => refund(ts, small.id, 100));
    const forLarge = await statements(() => refund(ts, large.id, 100));
    expect(forLarge).toBe(forSmall);
    // 25 before the transactional outbox; its status change adds one multi-row INSERT into outbox_messages.
    expect(forSmall).toBeLessThanOrEqual(26);
  });
});
