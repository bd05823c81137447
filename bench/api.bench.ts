import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChildServer, type ChildServer } from './servers';
import { median, printRatioTable, type BenchRow } from './stats';

const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const JSON_HEADERS = { 'content-type': 'application/json' };
const ORDER_FIELDS = `id status currency amount amountRefunded customerEmail createdAt updatedAt
  items { sku name unitAmount quantity lineAmount }
  payments { id provider method status amount currency providerSessionId providerPaymentId providerChargeId failureCode failureMessage createdAt updatedAt }
  refunds { id orderId paymentId amount currency status providerRefundId reason failureMessage createdAt updatedAt }
  disputes { id status }
  events { sequence type fromStatus toStatus source message at }`;
const CREATE_ORDER = JSON.stringify({
  query: 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { accessToken order { id status amount currency } } }',
  variables: { input: { items: [{ sku: 'MUG-WHT', quantity: 1 }] } },
});
const CHECKOUT = 'mutation($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId url order { id status } } }';
const CHARGE = 'mutation($input: ChargeWithTokenInput!) { chargeWithToken(input: $input) { chargeId requiresAction order { id status } } }';

interface Scenario {
  name: string;
  /** `floor`, or the service it measures (`service`, or `service:SQLite` / `service:PostgreSQL` side by side). */
  server: string;
  connections: number;
  /** Requests per counted operation (2 for a createOrder + payment pair). */
  perOperation: number;
  requests: autocannon.Request[];
  target?: string;
}

/** One counted operation's outcome across rounds. */
interface Measured {
  rates: number[];
  p99s: number[];
  /** One connection: each round's median time from sending a request to its whole answer (ms, sub-millisecond). */
  medianLatencies: number[];
  failures: number;
}

/**
 * The API part of `npm run bench`: Apollo Server 5's trivial mutation (the floor) and our
 * operations, interleaved round by round in one run so machine load hits them alike; medians of
 * the rounds and each one's ratio to the floor. Stripe is a local fake that answers at once.
 * `BENCH_DATABASE_URL=postgres://…` measures the service on PostgreSQL; with `BENCH_BOTH=1` too,
 * on SQLite and PostgreSQL side by side in the same rounds (each operation on one database right
 * after the other, which goes first alternating), so their figures compare within one run.
 */
export async function run({ smoke }: { smoke: boolean }): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? (smoke ? 1 : 5));
  const duration = Number(process.env.BENCH_SECONDS ?? (smoke ? 1 : 5));
  const dir = mkdtempSync(path.join(tmpdir(), 'payments-bench-'));
  const servers: ChildServer[] = [];
  let stripeCalls: unknown;
  try {
    const stripe = await startChildServer('stripe', {});
    servers.push(stripe);
    const floor = await startChildServer('floor', {});
    servers.push(floor);
    const postgres = process.env.BENCH_DATABASE_URL;
    const databases = postgres && process.env.BENCH_BOTH === '1'
      ? [{ label: 'SQLite', url: undefined }, { label: 'PostgreSQL', url: postgres }]
      : [{ label: undefined, url: postgres }];
    const urls: Record<string, string> = { floor: floor.url };
    const perService: Scenario[][] = [];
    for (const { label, url } of databases) {
      const service = await startChildServer('service', serviceEnv(url ?? `sqlite:${path.join(dir, 'bench.sqlite')}`, stripe.url));
      servers.push(service);
      const key = label ? `service:${label}` : 'service';
      urls[key] = service.url;
      perService.push(buildScenarios(await seedOrderWithEverything(service.url), key, label));
    }
    // BENCH_ONLY=<regex> keeps the floor and the scenarios whose name matches (for quick iterations).
    const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
    const keep = (s: Scenario) => !only || s.server === 'floor' || only.test(s.name);
    // Each operation on every database in turn; the floor once.
    const scenarios = perService[0].flatMap((s, i) => (s.server === 'floor' ? [s] : perService.map((list) => list[i]))).filter(keep);
    for (const s of scenarios) await checkOnce(urls[s.server], s);

    const results = new Map<string, Measured>(scenarios.map((s) => [s.name, { rates: [], p99s: [], medianLatencies: [], failures: 0 }]));
    for (let round = 0; round < rounds; round++) {
      for (const s of inRoundOrder(scenarios, round)) {
        const failed = { count: 0 };
        const latencies: number[] = [];
        const result = await load({
          url: `${urls[s.server]}/graphql`,
          connections: s.connections,
          duration,
          requests: s.requests.map((r) => countingFailures(r, failed)),
        }, s.connections === 1 ? latencies : undefined);
        const m = results.get(s.name)!;
        m.rates.push(result.requests.average / s.perOperation);
        m.p99s.push(result.latency.p99);
        if (latencies.length > 0) m.medianLatencies.push(median(latencies));
        m.failures += failed.count + result.non2xx + result.errors + result.timeouts;
      }
      process.stderr.write(`round ${round + 1}/${rounds} done\n`);
    }
    const rows: BenchRow[] = scenarios.map((s) => {
      const m = results.get(s.name)!;
      const rate = median(m.rates);
      const sequential = s.connections === 1;
      return {
        name: s.name,
        value: rate,
        unit: '/s',
        notes: {
          connections: String(s.connections),
          'p99 ms (median of rounds)': String(median(m.p99s)),
          'mean latency ms': sequential ? (1000 / rate).toFixed(2) : '',
          'median latency ms': sequential ? median(m.medianLatencies).toFixed(2) : '',
          failures: String(m.failures),
          target: s.target ?? '',
        },
      };
    });
    servers.splice(servers.indexOf(stripe), 1);
    stripeCalls = await stripe.stop();
    const on = databases.map((d) => d.label ?? (d.url ? 'PostgreSQL' : 'SQLite')).join(' and ');
    printRatioTable(`API throughput, ${rounds} round(s) of ${duration} s, medians (Stripe: zero-latency fake; ${on})`, rows, 'Apollo trivial mutation');
    console.log(`fake Stripe calls: ${JSON.stringify(stripeCalls)}`);
  } finally {
    for (const s of servers.reverse()) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs autocannon; with `latencies`, also keeps each response's time (its histogram keeps whole milliseconds only). */
function load(options: autocannon.Options, latencies?: number[]): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    if (latencies) instance.on('response', (_client, _status, _bytes, ms: number) => latencies.push(ms));
  });
}

function serviceEnv(databaseUrl: string, stripeUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    SANDBOX: 'off',
    STOREFRONT: 'off',
    ADMIN_API_KEY: ADMIN_KEY,
    DATABASE_URL: databaseUrl,
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: 'whsec_bench',
    STRIPE_API_BASE: stripeUrl,
    RATE_LIMIT_PER_MINUTE: '0',
    PUBLIC_URL: 'http://localhost:4000',
  };
}

/**
 * The round's scenarios in order; side by side, the databases' runs of one operation swap places
 * every other round, so neither always runs right after the floor or right after the other.
 */
function inRoundOrder(scenarios: Scenario[], round: number): Scenario[] {
  if (round % 2 === 0) return scenarios;
  const swapped = [...scenarios];
  for (let i = 0; i + 1 < swapped.length; i++) {
    const [a, b] = [swapped[i], swapped[i + 1]];
    if (a.server !== 'floor' && b.server !== 'floor' && a.server !== b.server && sameOperation(a, b)) {
      [swapped[i], swapped[i + 1]] = [b, a];
      i++;
    }
  }
  return swapped;
}

function sameOperation(a: Scenario, b: Scenario): boolean {
  return a.name.replace(/ \[[^\]]+\]$/, '') === b.name.replace(/ \[[^\]]+\]$/, '');
}

function buildScenarios(read: { id: string; token: string }, server: string, label?: string): Scenario[] {
  const post = (body: string, token?: string): autocannon.Request => ({
    method: 'POST',
    path: '/graphql',
    headers: { ...JSON_HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const orderQuery = JSON.stringify({ query: `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, variables: { id: read.id } });
  const products = JSON.stringify({ query: '{ products { sku name unitAmount currency } }' });
  const pair = (second: (ctx: PairContext) => string): autocannon.Request[] => [
    {
      ...post(CREATE_ORDER),
      onResponse: (_status, body, context) => {
        const created = JSON.parse(body).data?.createOrder;
        Object.assign(context, { id: created?.order.id, token: created?.accessToken });
      },
    },
    {
      ...post(''),
      setupRequest: (request, context) => {
        const ctx = context as PairContext;
        return { ...request, headers: { ...request.headers, authorization: `Bearer ${ctx.token}` }, body: second(ctx) };
      },
    },
  ];
  const checkout = (ctx: PairContext) => {
    const back = `http://localhost:4000/order.html?id=${ctx.id}`;
    return JSON.stringify({ query: CHECKOUT, variables: { input: { orderId: ctx.id, successUrl: back, cancelUrl: back } } });
  };
  const charge = (ctx: PairContext) => JSON.stringify({ query: CHARGE, variables: { input: { orderId: ctx.id, token: 'tok_visa' } } });
  const scenarios: Scenario[] = [
    { name: 'Apollo trivial mutation', server: 'floor', connections: 50, perOperation: 1, requests: [post(JSON.stringify({ query: 'mutation { ping(input: "x") }' }))] },
    { name: 'createOrder (1 item)', server, connections: 50, perOperation: 1, requests: [post(CREATE_ORDER)], target: '≥ 0.2' },
    { name: 'order(id), all relations', server, connections: 50, perOperation: 1, requests: [post(orderQuery, read.token)], target: '≥ 0.3' },
    { name: 'createOrder + createCheckoutSession (pairs)', server, connections: 16, perOperation: 2, requests: pair(checkout), target: '≥ 0.05' },
    { name: 'createOrder + chargeWithToken tok_visa (pairs)', server, connections: 16, perOperation: 2, requests: pair(charge), target: '≥ 0.05' },
    { name: 'sequential products', server, connections: 1, perOperation: 1, requests: [post(products)] },
    { name: 'sequential createOrder', server, connections: 1, perOperation: 1, requests: [post(CREATE_ORDER)], target: '≤ 2 ms' },
    { name: 'sequential order(id)', server, connections: 1, perOperation: 1, requests: [post(orderQuery, read.token)] },
  ];
  return scenarios.map((s) => (label && s.server !== 'floor' ? { ...s, name: `${s.name} [${label}]` } : s));
}

interface PairContext {
  id: string;
  token: string;
}

/** Wraps a request so that any GraphQL `errors` in its answer counts as a failure. */
function countingFailures(request: autocannon.Request, failed: { count: number }): autocannon.Request {
  const inner = request.onResponse;
  return {
    ...request,
    onResponse: (status, body, context, headers) => {
      if (status !== 200 || body.includes('"errors"')) failed.count++;
      if (typeof inner === 'function') inner(status, body, context, headers);
    },
  };
}

/** Runs a scenario's requests once in order and fails loudly if any answer carries errors: a fast wrong answer measures nothing. */
async function checkOnce(url: string, s: Scenario): Promise<void> {
  const context: Record<string, unknown> = {};
  for (const r of s.requests) {
    const request = typeof r.setupRequest === 'function' ? r.setupRequest(r, context) : r;
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: request.headers as Record<string, string>, body: request.body as string });
    const body = await res.text();
    if (res.status !== 200 || body.includes('"errors"')) throw new Error(`${s.name}: ${res.status} ${body}`);
    if (typeof r.onResponse === 'function') r.onResponse(res.status, body, context, {});
  }
}

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { ...JSON_HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: unknown[] };
  if (body.errors) throw new Error(`seeding failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** An order with three lines, a paid card attempt, a partial refund and their events: what `order(id)` reads. */
async function seedOrderWithEverything(url: string): Promise<{ id: string; token: string }> {
  const created = (await gql(url, 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { accessToken order { id } } }', {
    input: { items: [{ sku: 'MUG-WHT', quantity: 2 }, { sku: 'TSHIRT-BLK', quantity: 1 }, { sku: 'STICKER-PACK', quantity: 3 }] },
  })).createOrder;
  const id = created.order.id as string;
  await gql(url, CHARGE, { input: { orderId: id, token: 'tok_visa' } }, created.accessToken);
  await gql(url, 'mutation($input: RefundOrderInput!) { refundOrder(input: $input) { status } }', { input: { orderId: id, amount: 100 } }, ADMIN_KEY);
  return { id, token: created.accessToken };
}
