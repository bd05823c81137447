import { Agent, request } from 'node:http';
import { percentile } from '../stats';
import type { SignedEvent } from './events';
import { orderOf, type LoadResult } from './load';

/**
 * Sends the events evenly spread at `perSecond` (event i is due i / perSecond s after the first),
 * each as soon as it is due, whatever is still unanswered: what a provider delivering at a steady
 * rate looks like. autocannon's `overallRate` is a quota per connection and second instead: every
 * connection sends its share back to back at each 1 s tick, then waits, so "1,000 events/s" there
 * is a burst of 1,000 at the start of every second, and the apply lag it gives is mostly the time
 * the last of a burst waits behind the others.
 */
export async function sendPaced(url: string, events: SignedEvent[], perSecond: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const acks = new Map<string, number>();
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let lastAnswered = 0;
  const answered: Promise<void>[] = [];
  const started = performance.now();
  const firstSentAt = Date.now();
  for (let next = 0; next < events.length; ) {
    // Every event due by now goes out (timers fire late by a millisecond or so; none is skipped).
    const due = Math.min(events.length, Math.floor(((performance.now() - started) * perSecond) / 1000) + 1);
    for (; next < due; next++) {
      const event = events[next];
      const sentAt = performance.now();
      answered.push(
        post(agent, url, event).then(
          ({ status, body }) => {
            lastAnswered = performance.now();
            latencies.push(lastAnswered - sentAt);
            if (status !== 200) return void failed++;
            ok++;
            const orderId = orderOf(body, events);
            if (orderId && !acks.has(orderId)) acks.set(orderId, Date.now());
          },
          () => void failed++,
        ),
      );
    }
    if (next < events.length) await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (next * 1000) / perSecond - performance.now())));
  }
  await Promise.all(answered);
  agent.destroy();
  return { eventsPerSecond: ok / ((lastAnswered - started) / 1000), p99Ms: percentile(latencies, 99), ok, failed, acks, firstSentAt };
}

function post(agent: Agent, url: string, event: SignedEvent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'stripe-signature': event.signature, 'content-length': Buffer.byteLength(event.body) } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(event.body);
  });
}
