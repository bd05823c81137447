import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { knex } from '@mikro-orm/knex';
import { fmt, median, printTable, ratio } from './stats';
import { startChild, fixtures, type ChildServer } from './webhooks/children';
import { checkRound, openDatabase, waitAllPaid } from './webhooks/checks';
import { latencyRows } from './webhooks/latencies';
import { signedEvents } from './webhooks/events';
import { sendEvents } from './webhooks/load';

const CONNECTIONS = 50;
const ADMIN_KEY = `bench-admin-${randomBytes(12).toString('hex')}`;
const SECRET = `whsec_bench_${randomBytes(12).toString('hex')}`;

interface Target {
  name: string;
  server: ChildServer;
  /** Set for this service: its database, checked after every round. */
  databaseUrl?: string;
  rounds: { eventsPerSecond: number; p99Ms: number; appliedPerSecond?: number; ok?: boolean }[];
}

/**
 * Webhook ingest, side by side in one run: a bare node:http verify-only server, Stripe's sample
 * handler (Express + constructEvent + switch, stores nothing) and this service (SQLite, and
 * PostgreSQL when TEST_POSTGRES_URL is set), each sent the same pre-made signed
 * `checkout.session.completed` events for distinct real orders over 50 connections, for several
 * rounds. Then: correctness, apply lag at 1,000 events/s, ack → subscriber with many subscribers,
 * RSS during a flood. BENCH_CPU_PROF=1 writes a CPU profile of the SQLite service to ./profiles.
 */
export async function run({ smoke }: { smoke: boolean }): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? (smoke ? 2 : 5));
  const perRound = Number(process.env.BENCH_EVENTS ?? (smoke ? 200 : 1000));
  const dir = mkdtempSync(path.join(tmpdir(), 'payments-bench-'));
  const env = { BENCH_WEBHOOK_SECRET: SECRET, BENCH_ADMIN_KEY: ADMIN_KEY };
  const sqliteUrl = `sqlite:${path.join(dir, 'bench.sqlite')}`;
  const profile = process.env.BENCH_CPU_PROF === '1' ? ['--cpu-prof', '--cpu-prof-dir', path.resolve('profiles')] : [];
  const pg = process.env.TEST_POSTGRES_URL ? await scratchPostgres(process.env.TEST_POSTGRES_URL) : undefined;
  const targets: Target[] = [
    { name: 'bare node:http, verify only', server: await startChild('bare.server.js', env), rounds: [] },
    { name: "Stripe's sample handler (Express)", server: await startChild('stripe-sample.server.js', env), rounds: [] },
    { name: 'this service, SQLite', server: await startChild('service.server.js', { ...env, BENCH_DATABASE_URL: sqliteUrl }, profile), databaseUrl: sqliteUrl, rounds: [] },
  ];
  if (pg) targets.push({ name: 'this service, PostgreSQL', server: await startChild('service.server.js', { ...env, BENCH_DATABASE_URL: pg.url }), databaseUrl: pg.url, rounds: [] });
  const [sqlite] = targets.filter((t) => t.databaseUrl);
  try {
    for (let round = 0; round < rounds; round++) {
      // The same events for every handler in a round: real orders, created in each service's database.
      const sqliteTag = `r${round}-sqlite`;
      const shared = signedEvents(await fixtures(sqlite.server, perRound, sqliteTag), SECRET, sqliteTag);
      for (const target of rotate(targets, round)) {
        const onPostgres = pg !== undefined && target.databaseUrl === pg.url;
        const tag = onPostgres ? `r${round}-pg` : sqliteTag;
        const events = onPostgres ? signedEvents(await fixtures(target.server, perRound, tag), SECRET, tag) : shared;
        target.rounds.push(await measure(target, events, tag, perRound));
      }
    }
    printIngest(targets);
    // BENCH_INGEST_ONLY=1 stops here (quick iterations on ingest).
    if (process.env.BENCH_INGEST_ONLY === '1') return;
    const latencyRounds = Number(process.env.BENCH_LATENCY_ROUNDS ?? (smoke ? 1 : 3));
    const extra = await latencyRows({ service: sqlite.server, databaseUrl: sqlite.databaseUrl!, secret: SECRET, adminKey: ADMIN_KEY, connections: CONNECTIONS, smoke, rounds: latencyRounds });
    extra.push(await floodRow(sqlite, smoke));
    printTable(`Applying and subscribers (this service, SQLite; latencies: median of ${latencyRounds} round${latencyRounds === 1 ? '' : 's'})`, ['measure', 'value', 'target'], extra);
  } finally {
    for (const t of targets) await t.server.stop();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(target: Target, events: ReturnType<typeof signedEvents>, tag: string, orders: number): Promise<Target['rounds'][number]> {
  const load = await sendEvents(`${target.server.url}/webhooks/stripe`, events, { connections: CONNECTIONS, trackAcks: Boolean(target.databaseUrl) });
  if (!target.databaseUrl) return { eventsPerSecond: load.eventsPerSecond, p99Ms: load.p99Ms, ok: load.failed === 0 };
  const db = openDatabase(target.databaseUrl);
  try {
    await waitAllPaid(db, tag, orders);
    const check = await checkRound(db, tag, orders);
    // From the first delivery sent to the last PAID transition written (the service's clock, same
    // machine): autocannon resolves only at its next 1 s tick, which capped this at 1,000 orders/s.
    const lastPaid = Math.max(...check.paidAt.values());
    return {
      eventsPerSecond: load.eventsPerSecond,
      p99Ms: load.p99Ms,
      appliedPerSecond: orders / ((lastPaid - load.firstSentAt) / 1000),
      ok: load.failed === 0 && check.onePaidTransitionEach && check.storedOnceApplied,
    };
  } finally {
    await db.destroy();
  }
}

function printIngest(targets: Target[]): void {
  const [bare, sample] = targets.map((t) => median(t.rounds.map((r) => r.eventsPerSecond)));
  printTable(
    `Webhook ingest, ${CONNECTIONS} connections, medians of ${targets[0].rounds.length} rounds (machine shared with other work: figures are noisy)`,
    ['handler', 'events/s', 'p99 ms', '× bare', '× Stripe sample', 'applied orders/s (ack → all PAID)', 'checks'],
    targets.map((t) => {
      const eps = median(t.rounds.map((r) => r.eventsPerSecond));
      const applied = t.databaseUrl ? fmt(median(t.rounds.map((r) => r.appliedPerSecond ?? Number.NaN))) : '–';
      const checks = t.databaseUrl ? (t.rounds.every((r) => r.ok) ? 'all PAID once, stored once' : 'FAILED') : t.rounds.every((r) => r.ok) ? 'all 200' : 'errors';
      return [t.name, fmt(eps), fmt(median(t.rounds.map((r) => r.p99Ms))), ratio(eps, bare), ratio(eps, sample), applied, checks];
    }),
  );
}

/** RSS during a flood (the highest of the whole run, which the child samples). */
async function floodRow(service: Target, smoke: boolean): Promise<string[]> {
  const floodSeconds = smoke ? 3 : 60;
  const floodFixtures = await fixtures(service.server, smoke ? 2000 : 20_000, 'flood');
  const flood = await sendEvents(`${service.server.url}/webhooks/stripe`, signedEvents(floodFixtures, SECRET, 'flood'), { connections: CONNECTIONS, durationSeconds: floodSeconds });
  return [`RSS, highest during the whole run incl. a ${floodSeconds} s flood (${fmt(flood.eventsPerSecond)} events/s, ${flood.failed} not 2xx)`, `${fmt(service.server.maxRssMb())} MB`, '< 300 MB'];
}

/** Each round starts with a different handler, so none always runs first on a cold machine. */
function rotate<T>(items: T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** A database of its own on the TEST_POSTGRES_URL server, dropped at the end. */
async function scratchPostgres(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `payments_bench_${randomBytes(4).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw('create database ??', [name]);
  await admin.destroy();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
      await again.raw('drop database if exists ?? with (force)', [name]);
      await again.destroy();
    },
  };
}
