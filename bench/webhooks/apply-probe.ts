import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startChild, fixtures } from './children';
import { checkRound, openDatabase, waitAllPaid } from './checks';
import { signedEvents } from './events';
import { sendEvents } from './load';

/**
 * `node dist-bench/bench/webhooks/apply-probe.js <events> <profile.cpuprofile>`: one flood of
 * signed events at the SQLite service with a CPU profile of that phase only (ingest and applying,
 * fixtures excluded), for finding where the applier's time goes.
 */
async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 2000);
  const file = path.resolve(process.argv[3] ?? 'apply.cpuprofile');
  const secret = `whsec_probe_${randomBytes(8).toString('hex')}`;
  // PROBE_DATABASE_URL: an empty PostgreSQL database to probe instead of a new SQLite file.
  const url = process.env.PROBE_DATABASE_URL ?? `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'apply-probe-')), 'probe.sqlite')}`;
  const service = await startChild('service.server.js', { BENCH_WEBHOOK_SECRET: secret, BENCH_ADMIN_KEY: `probe-${randomBytes(12).toString('hex')}`, BENCH_DATABASE_URL: url });
  try {
    const events = signedEvents(await fixtures(service, count, 'probe'), secret, 'probe');
    const toggle = (f?: string) => new Promise((resolve) => { service.child.once('message', resolve); service.child.send({ cmd: 'profile', file: f }); });
    // APPLY_ONLY=1: the flood is stored with the worker paused, and only applying the backlog is profiled.
    const applyOnly = process.env.APPLY_ONLY === '1';
    const applier = (run: boolean) => new Promise((resolve) => { service.child.once('message', resolve); service.child.send({ cmd: 'applier', run }); });
    if (applyOnly) await applier(false);
    let load = applyOnly ? await sendEvents(`${service.url}/webhooks/stripe`, events, { connections: 50, trackAcks: false }) : undefined;
    await toggle();
    const cpuBefore = service.cpuMs();
    const started = Date.now();
    if (applyOnly) await applier(true);
    else load = await sendEvents(`${service.url}/webhooks/stripe`, events, { connections: 50, trackAcks: false });
    const db = openDatabase(url);
    await waitAllPaid(db, 'probe', count);
    // The last PAID transition written (the service's clock, same machine), not when the wait saw
    // it: autocannon resolves only at its next 1 s tick, which capped this at 1,000 orders/s.
    const paid = Math.max(...(await checkRound(db, 'probe', count)).paidAt.values());
    await db.destroy();
    const cpuPerEvent = (service.cpuMs() - cpuBefore) / count;
    await toggle(file);
    console.log(`ingest ${Math.round(load!.eventsPerSecond)} events/s; ${applyOnly ? 'then applying alone: ' : ''}all PAID after ${paid - started} ms (${Math.round(count / ((paid - started) / 1000))} orders/s), ${cpuPerEvent.toFixed(3)} ms CPU per event (profiler on); profile: ${file}`);
  } finally {
    await service.stop();
  }
}

void main();
