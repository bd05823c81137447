import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChild, fixtures } from './children';
import { signedEvents } from './events';
import { sendEvents } from './load';

/** `node dist-bench/bench/webhooks/memory-probe.js <seconds>`: RSS and V8 heap of the SQLite service during a flood. */
async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 20);
  const secret = `whsec_probe_${randomBytes(8).toString('hex')}`;
  const url = `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'memory-probe-')), 'probe.sqlite')}`;
  const service = await startChild('service.server.js', { BENCH_WEBHOOK_SECRET: secret, BENCH_ADMIN_KEY: `probe-${randomBytes(12).toString('hex')}`, BENCH_DATABASE_URL: url });
  const memory = () => new Promise<NodeJS.MemoryUsage>((resolve) => { service.child.once('message', (m: { memory: NodeJS.MemoryUsage }) => resolve(m.memory)); service.child.send({ cmd: 'memory' }); });
  const mb = (m: NodeJS.MemoryUsage) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Math.round(v / 1048576)]));
  try {
    console.log('idle', mb(await memory()));
    const events = signedEvents(await fixtures(service, 20_000, 'mem'), secret, 'mem');
    console.log('after fixtures', mb(await memory()));
    let peak: NodeJS.MemoryUsage | undefined;
    const sampler = setInterval(() => void memory().then((m) => { if (!peak || m.rss > peak.rss) peak = m; }), 500);
    const flood = await sendEvents(`${service.url}/webhooks/stripe`, events, { connections: 50, durationSeconds: seconds });
    clearInterval(sampler);
    console.log(`flood ${Math.round(flood.eventsPerSecond)} events/s; peak`, mb(peak!), 'sampled max rss', Math.round(service.maxRssMb()));
  } finally {
    await service.stop();
  }
}

void main();
