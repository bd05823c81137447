import { fmt, median, percentile } from '../stats';
import { fixtures, type ChildServer } from './children';
import { checkRound, openDatabase, waitAllPaid } from './checks';
import { signedEvents } from './events';
import { sendEvents, type LoadResult } from './load';
import { sendPaced } from './paced-load';
import { subscribe } from './subscribers';

/** The two ways the latency rows send their events (see `sendPaced`). */
const PACINGS = [
  { name: 'even', even: true, label: 'evenly paced' },
  { name: 'bursts', even: false, label: 'in 1 s bursts (autocannon)' },
] as const;
type Pacing = (typeof PACINGS)[number];

export interface LatencySettings {
  /** The service under test and its database. */
  service: ChildServer;
  databaseUrl: string;
  secret: string;
  adminKey: string;
  connections: number;
  smoke: boolean;
  /** Each measure is taken this many times; a row gives the median of the rounds and each round's figure. */
  rounds: number;
}

/**
 * Apply lag at 1,000 events/s and ack → subscriber message with many subscribed clients, each
 * measured evenly paced (one event every millisecond: a provider's steady rate) and as autocannon
 * paces (`overallRate`: each second's events sent back to back at the second's start). A single
 * run's p99 on a shared 2-core machine moved by 2× from one run to the next, so each is measured
 * in several rounds, with fresh orders each time.
 */
export async function latencyRows(settings: LatencySettings): Promise<string[][]> {
  const db = openDatabase(settings.databaseUrl);
  try {
    const rows: string[][] = [];
    for (const pacing of PACINGS) {
      const lags = await repeat(settings.rounds, (round) => applyLag(settings, db, pacing, round));
      rows.push(
        [`apply lag ack → PAID at 1,000 events/s ${pacing.label}, p50`, ofRounds(lags.map((l) => percentile(l, 50))), ''],
        [`apply lag ack → PAID at 1,000 events/s ${pacing.label}, p99`, ofRounds(lags.map((l) => percentile(l, 99))), '≤ 50 ms'],
      );
    }
    const subscriberCount = settings.smoke ? 100 : 1000;
    const rate = settings.smoke ? 200 : 500;
    for (const pacing of PACINGS) {
      const runs = await repeat(settings.rounds, (round) => toSubscribers(settings, pacing, round, subscriberCount, rate));
      const received = runs.map((r) => r.received).join(', ');
      rows.push([`ack → subscriber message, ${subscriberCount} subscribed clients, ${rate} events/s ${pacing.label}, p99`, `${ofRounds(runs.map((r) => percentile(r.latencies, 99)))}; received ${received} of ${subscriberCount}`, '≤ 20 ms']);
    }
    return rows;
  } finally {
    await db.destroy();
  }
}

async function applyLag(settings: LatencySettings, db: ReturnType<typeof openDatabase>, pacing: Pacing, round: number): Promise<number[]> {
  const count = settings.smoke ? 300 : 1000;
  const tag = `lag-${pacing.name}-${round}`;
  const events = signedEvents(await fixtures(settings.service, count, tag), settings.secret, tag);
  const sent = await send(settings, events, pacing, 1000);
  await waitAllPaid(db, tag, count);
  return [...(await checkRound(db, tag, count)).paidAt].map(([orderId, at]) => at - (sent.acks.get(orderId) ?? Number.NaN)).filter(Number.isFinite);
}

async function toSubscribers(settings: LatencySettings, pacing: Pacing, round: number, count: number, rate: number): Promise<{ latencies: number[]; received: number }> {
  const tag = `subs-${pacing.name}-${round}`;
  const orders = await fixtures(settings.service, count, tag);
  const subscribers = await subscribe(settings.service.url, settings.adminKey, orders.map((f) => f.orderId));
  try {
    const delivered = await send(settings, signedEvents(orders, settings.secret, tag), pacing, rate);
    const deadline = Date.now() + 30_000;
    while (subscribers.paidAt.size < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const latencies = orders.map((f) => (subscribers.paidAt.get(f.orderId) ?? Number.NaN) - (delivered.acks.get(f.orderId) ?? Number.NaN)).filter(Number.isFinite);
    return { latencies, received: subscribers.paidAt.size };
  } finally {
    await subscribers.close();
  }
}

function send(settings: LatencySettings, events: ReturnType<typeof signedEvents>, pacing: Pacing, perSecond: number): Promise<LoadResult> {
  const url = `${settings.service.url}/webhooks/stripe`;
  return pacing.even ? sendPaced(url, events, perSecond) : sendEvents(url, events, { connections: settings.connections, overallRate: perSecond, trackAcks: true });
}

async function repeat<T>(rounds: number, measure: (round: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let round = 0; round < rounds; round++) results.push(await measure(round));
  return results;
}

/** `40.0 ms (rounds: 38, 40, 55)`: the median of the rounds, then each. */
function ofRounds(values: number[]): string {
  const each = values.length > 1 ? ` (rounds: ${values.map((v) => fmt(v)).join(', ')})` : '';
  return `${fmt(median(values), 1)} ms${each}`;
}
