import autocannon from 'autocannon';
import type { SignedEvent } from './events';

export interface LoadResult {
  eventsPerSecond: number;
  p99Ms: number;
  ok: number;
  failed: number;
  /** orderId → when its 200 arrived (epoch ms), when `trackAcks`. */
  acks: Map<string, number>;
  /** When the first delivery was sent (epoch ms). */
  firstSentAt: number;
}

/**
 * Sends each pre-made event once (or cycles them for `durationSeconds`) over `connections`
 * keep-alive connections with autocannon; `overallRate` paces it.
 */
export async function sendEvents(
  url: string,
  events: SignedEvent[],
  options: { connections: number; overallRate?: number; durationSeconds?: number; trackAcks?: boolean },
): Promise<LoadResult> {
  let next = 0;
  const acks = new Map<string, number>();
  // autocannon reports a duration rounded up to its 1 s sampling tick: time the run here instead.
  let firstSent = 0;
  let firstSentAt = 0;
  let lastAnswered = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    ...(options.durationSeconds ? { duration: options.durationSeconds } : { amount: events.length }),
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          firstSent ||= performance.now();
          firstSentAt ||= Date.now();
          const event = events[next++ % events.length];
          return { ...request, body: event.body, headers: { 'content-type': 'application/json', 'stripe-signature': event.signature } };
        },
        onResponse: (status: number, body: string) => {
          lastAnswered = performance.now();
          if (status !== 200 || !options.trackAcks) return;
          const orderId = orderOf(body, events);
          if (orderId && !acks.has(orderId)) acks.set(orderId, Date.now());
        },
      },
    ],
  });
  return { eventsPerSecond: result['2xx'] / ((lastAnswered - firstSent) / 1000), p99Ms: result.latency.p99, ok: result['2xx'], failed: result.non2xx + result.errors + result.timeouts, acks, firstSentAt };
}

let byEventId: Map<string, string> | undefined;
let indexed: SignedEvent[] | undefined;

/** The order an answer is about: the service answers with the event id it stored. */
export function orderOf(body: string, events: SignedEvent[]): string | undefined {
  if (indexed !== events) {
    byEventId = new Map(events.map((e) => [e.eventId, e.orderId]));
    indexed = events;
  }
  const match = /"eventId":"([^"]+)"/.exec(body);
  return match ? byEventId!.get(match[1]) : undefined;
}
