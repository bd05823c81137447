import { charge, holdWebhooks, releaseHeldWebhooks, rows } from '../e2e/stripe.e2e-helpers';
import { createOrder, errorCode, expectNoInternals, startTestService, webhooksSettled, type TestService } from '../helpers/service.helpers';

/**
 * The payment mutations' two writes, in plain SQL (the attempt's claim) and through the
 * reconciler (the provider's answer): each is one transaction, so a failure part-way leaves
 * nothing of it, and concurrent claims that share a commit fail alone.
 */
describe('payment attempt writes', () => {
  let ts: TestService;

  beforeAll(async () => {
    ts = await startTestService();
  });

  afterAll(async () => {
    await ts.close();
  });

  const execute = (sql: string) => ts.service.orm.em.getConnection().execute(sql);

  /** What the claim writes for an order: its status and version, its attempts, its log, its outbox rows. */
  async function written(orderId: string) {
    const [order] = await rows(ts, 'select status, version from orders where id = ?', [orderId]);
    const payments = await rows(ts, 'select status, provider_payment_id, provider_charge_id from payments where order_id = ?', [orderId]);
    const events = (await rows(ts, 'select type from order_events where order_id = ? order by sequence', [orderId])).map((e) => e.type);
    const outbox = await rows(ts, 'select count(*) as n from outbox_messages where order_id = ?', [orderId]);
    return { status: order.status, version: Number(order.version), payments, events, outbox: Number(outbox[0].n) };
  }

  /** Fault injection at the database edge: the claim's last insert (its outbox row, after the order, attempt and log rows) fails. */
  async function failingOutboxFor(orderId: string, work: () => Promise<void>) {
    await execute(`create trigger fail_claim_outbox before insert on outbox_messages when new.order_id = '${orderId}' begin select raise(abort, 'injected failure'); end`);
    try {
      await work();
    } finally {
      await execute('drop trigger fail_claim_outbox');
    }
  }

  it('a database failure at the end of the claim leaves the order as it was, with no attempt; the next charge goes through', async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const before = await written(id);
    await failingOutboxFor(id, async () => {
      const res = await charge(ts, id, token, 'tok_visa');
      expect(errorCode(res)).toBe('INTERNAL_SERVER_ERROR');
      expectNoInternals(res);
    });
    expect(await written(id)).toEqual(before);
    expect(before).toEqual({ status: 'CREATED', version: 1, payments: [], events: ['ORDER_CREATED'], outbox: 0 });
    const ok = await charge(ts, id, token, 'tok_visa');
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.chargeWithToken.order.status).toBe('PAID');
    expect((await written(id)).payments).toHaveLength(1);
  });

  it('concurrent claims on many orders share commits; one that fails fails alone and the others are charged once each', async () => {
    const orders = await Promise.all(Array.from({ length: 12 }, () => createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }])));
    const failing = orders[5];
    await failingOutboxFor(failing.id, async () => {
      const answers = await Promise.all(orders.map((o) => charge(ts, o.id, o.token, 'tok_visa')));
      answers.forEach((res, i) => {
        if (i === 5) expect(errorCode(res)).toBe('INTERNAL_SERVER_ERROR');
        else expect(res.errors).toBeUndefined();
      });
    });
    expect(await written(failing.id)).toEqual({ status: 'CREATED', version: 1, payments: [], events: ['ORDER_CREATED'], outbox: 0 });
    for (const o of orders.filter((x) => x !== failing)) {
      const w = await written(o.id);
      expect(w.status).toBe('PAID');
      expect(w.payments).toHaveLength(1);
      expect(w.payments[0]).toMatchObject({ status: 'SUCCEEDED', provider_payment_id: expect.stringMatching(/^pi_/), provider_charge_id: expect.stringMatching(/^ch_/) });
      expect(w.events.slice(0, 4)).toEqual(['ORDER_CREATED', 'STATUS_CHANGED', 'PAYMENT_STARTED', 'STATUS_CHANGED']);
    }
  });

  it('concurrent claims on one order: one attempt, the others refused', async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const answers = await Promise.all(Array.from({ length: 6 }, () => charge(ts, id, token, 'tok_visa')));
    const paid = answers.filter((res) => !res.errors);
    expect(paid.length).toBeGreaterThanOrEqual(1);
    for (const res of answers.filter((r) => r.errors)) expect(errorCode(res)).toBe('CONFLICT');
    const w = await written(id);
    expect(w.payments.filter((p) => p.status === 'SUCCEEDED')).toHaveLength(1);
    expect(w.status).toBe('PAID');
  });

  it("a database failure while recording Stripe's answer leaves the attempt open with its key; the webhook then settles it", async () => {
    const { id, token } = await createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    await holdWebhooks(ts, true);
    await execute(`create trigger fail_paid_event before insert on order_events when new.order_id = '${id}' and new.to_status = 'PAID' begin select raise(abort, 'injected failure'); end`);
    try {
      const res = await charge(ts, id, token, 'tok_visa');
      expect(errorCode(res)).toBe('INTERNAL_SERVER_ERROR');
      expectNoInternals(res);
      const w = await written(id);
      // The claim committed (the attempt holds the idempotency key); nothing of the answer's transaction did.
      expect(w).toEqual({ status: 'PENDING', version: 2, payments: [{ status: 'OPEN', provider_payment_id: null, provider_charge_id: null }], events: ['ORDER_CREATED', 'STATUS_CHANGED', 'PAYMENT_STARTED'], outbox: w.outbox });
    } finally {
      await execute('drop trigger fail_paid_event');
    }
    await releaseHeldWebhooks(ts);
    await webhooksSettled(ts);
    const w = await written(id);
    expect(w.status).toBe('PAID');
    expect(w.payments).toEqual([{ status: 'SUCCEEDED', provider_payment_id: expect.stringMatching(/^pi_/), provider_charge_id: expect.stringMatching(/^ch_/) }]);
  });

  it("concurrent answers share commits; one whose write fails fails alone, the others' orders are PAID", async () => {
    const orders = await Promise.all(Array.from({ length: 12 }, () => createOrder(ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }])));
    const failing = orders[7];
    await holdWebhooks(ts, true);
    await execute(`create trigger fail_paid_event before insert on order_events when new.order_id = '${failing.id}' and new.to_status = 'PAID' begin select raise(abort, 'injected failure'); end`);
    try {
      const answers = await Promise.all(orders.map((o) => charge(ts, o.id, o.token, 'tok_visa')));
      answers.forEach((res, i) => {
        if (i === 7) expect(errorCode(res)).toBe('INTERNAL_SERVER_ERROR');
        else expect(res.errors).toBeUndefined();
      });
      expect((await written(failing.id)).payments).toEqual([{ status: 'OPEN', provider_payment_id: null, provider_charge_id: null }]);
    } finally {
      await execute('drop trigger fail_paid_event');
    }
    for (const o of orders.filter((x) => x !== failing)) {
      const w = await written(o.id);
      expect(w.status).toBe('PAID');
      expect(w.payments).toEqual([{ status: 'SUCCEEDED', provider_payment_id: expect.stringMatching(/^pi_/), provider_charge_id: expect.stringMatching(/^ch_/) }]);
      expect(w.events.filter((e) => e === 'STATUS_CHANGED')).toHaveLength(2);
    }
    await releaseHeldWebhooks(ts);
    await webhooksSettled(ts);
    expect((await written(failing.id)).status).toBe('PAID');
  });
});
