import autocannon from 'autocannon';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChildServer } from './servers';

/**
 * The service's own CPU time per operation under load, read from /proc (all its threads, and its
 * main thread alone), with PostgreSQL's server processes beside it when `PG_CLUSTER_DIR` names the
 * cluster of `test/postgres/pg-cluster.sh`. On a shared machine this moves far less than a rate
 * does, so it is what to compare when two versions are measured alternately:
 *   node dist-bench/bench/cpu-per-op.js charge|checkout|order|create [seconds] [rounds]
 * (`BENCH_DATABASE_URL=postgres://…` for PostgreSQL; the first round warms up).
 */
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const CREATE = JSON.stringify({
  query: 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { accessToken order { id status amount currency } } }',
  variables: { input: { items: [{ sku: 'MUG-WHT', quantity: 1 }] } },
});
const CHARGE = 'mutation($input: ChargeWithTokenInput!) { chargeWithToken(input: $input) { chargeId requiresAction order { id status } } }';
const CHECKOUT = 'mutation($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId url order { id status } } }';
const ORDER_FIELDS = `id status currency amount amountRefunded customerEmail createdAt updatedAt items { sku name unitAmount quantity lineAmount }
  payments { id provider method status amount currency providerSessionId providerPaymentId providerChargeId failureCode failureMessage createdAt updatedAt }
  refunds { id orderId paymentId amount currency status providerRefundId reason failureMessage createdAt updatedAt } disputes { id status }
  events { sequence type fromStatus toStatus source message at }`;

/** CPU milliseconds (user + system) of a process or thread, from its /proc stat file. */
function cpuMs(statFile: string): number {
  const fields = readFileSync(statFile, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function postgresCpuMs(): number {
  const dir = process.env.PG_CLUSTER_DIR;
  if (!dir) return 0;
  const postmaster = readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0];
  let total = cpuMs(`/proc/${postmaster}/stat`);
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1] === postmaster) total += cpuMs(`/proc/${pid}/stat`);
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

async function main(): Promise<void> {
  const [kind = 'charge', seconds = '5', rounds = '3'] = process.argv.slice(2);
  const dir = mkdtempSync(path.join(tmpdir(), 'payments-cpu-'));
  const stripe = await startChildServer('stripe', {});
  const service = await startChildServer('service', {
    NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', SANDBOX: 'off', STOREFRONT: 'off', ADMIN_API_KEY: ADMIN_KEY,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `sqlite:${path.join(dir, 'bench.sqlite')}`,
    STRIPE_SECRET_KEY: 'sk_test_bench', STRIPE_WEBHOOK_SECRET: 'whsec_bench', STRIPE_API_BASE: stripe.url, RATE_LIMIT_PER_MINUTE: '0', PUBLIC_URL: 'http://localhost:4000',
  });
  try {
    const { requests, perOperation, connections } = await scenario(service.url, kind);
    for (let round = 0; round < Number(rounds); round++) {
      let failures = 0;
      const counted: autocannon.Request[] = requests.map((r) => ({ ...r, onResponse: (status, body, context, headers) => {
        if (status !== 200 || body.includes('"errors"')) failures++;
        if (typeof r.onResponse === 'function') r.onResponse(status, body, context, headers);
      } }));
      const [all0, main0, pg0] = [cpuMs(`/proc/${service.pid}/stat`), cpuMs(`/proc/${service.pid}/task/${service.pid}/stat`), postgresCpuMs()];
      const result = await autocannon({ url: `${service.url}/graphql`, connections, duration: Number(seconds), requests: counted });
      const [all1, main1, pg1] = [cpuMs(`/proc/${service.pid}/stat`), cpuMs(`/proc/${service.pid}/task/${service.pid}/stat`), postgresCpuMs()];
      const ops = result.requests.total / perOperation;
      const per = (ms: number) => (ms / ops).toFixed(3);
      console.log(`${kind} round ${round + 1}: ${(ops / Number(seconds)).toFixed(0)}/s; CPU ms per operation: service ${per(all1 - all0)} (main thread ${per(main1 - main0)}), PostgreSQL ${per(pg1 - pg0)}; failures ${failures + result.non2xx + result.errors}`);
    }
  } finally {
    await service.stop();
    await stripe.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function scenario(url: string, kind: string): Promise<{ requests: autocannon.Request[]; perOperation: number; connections: number }> {
  const post = (body: string, token?: string): autocannon.Request => ({
    method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body,
  });
  if (kind === 'create') return { requests: [post(CREATE)], perOperation: 1, connections: 50 };
  if (kind === 'order') {
    const answer = (await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: CREATE })).json()) as { data: { createOrder: { accessToken: string; order: { id: string } } } };
    const created = answer.data.createOrder;
    const charge = JSON.stringify({ query: CHARGE, variables: { input: { orderId: created.order.id, token: 'tok_visa' } } });
    await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${created.accessToken}` }, body: charge });
    const read = JSON.stringify({ query: `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, variables: { id: created.order.id } });
    return { requests: [post(read, created.accessToken)], perOperation: 1, connections: 50 };
  }
  const second = (ctx: { id: string }) => kind === 'charge'
    ? JSON.stringify({ query: CHARGE, variables: { input: { orderId: ctx.id, token: 'tok_visa' } } })
    : JSON.stringify({ query: CHECKOUT, variables: { input: { orderId: ctx.id, successUrl: `http://localhost:4000/order.html?id=${ctx.id}`, cancelUrl: `http://localhost:4000/order.html?id=${ctx.id}` } } });
  return {
    perOperation: 2,
    connections: 16,
    requests: [
      { ...post(CREATE), onResponse: (_s, body, context) => {
        const created = JSON.parse(body).data.createOrder;
        Object.assign(context, { id: created.order.id, token: created.accessToken });
      } },
      { ...post(''), setupRequest: (request, context) => {
        const ctx = context as { id: string; token: string };
        return { ...request, headers: { ...request.headers, authorization: `Bearer ${ctx.token}` }, body: second(ctx) };
      } },
    ],
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
