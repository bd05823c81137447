import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Fixture, ServiceRequest } from '../servers/service.server';
import { serviceNodeFlags } from '../service-node-flags';

/** A server under test in its own process (the load generator must not share its CPU). */
export interface ChildServer {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Highest resident set size sampled so far (MB). */
  maxRssMb(): number;
  /** CPU time (user + system) the process has used so far, from /proc (ms). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Forks `servers/<script>` and waits for it to report its port. */
export async function startChild(script: string, env: Record<string, string>, execArgv: string[] = []): Promise<ChildServer> {
  // The service runs with the flags `npm start` gives it (its heap cap); the baselines with Node's defaults.
  const flags = script === 'service.server.js' ? [...serviceNodeFlags(), ...execArgv] : execArgv;
  const child = fork(path.join(__dirname, '..', 'servers', script), [], { env: { ...process.env, ...env }, execArgv: flags, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
  let maxRss = 0;
  const sampler = setInterval(() => (maxRss = Math.max(maxRss, rssMb(child.pid!))), 200);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    child,
    maxRssMb: () => Math.max(maxRss, rssMb(child.pid!)),
    cpuMs: () => cpuMs(child.pid!),
    stop: async () => {
      clearInterval(sampler);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (script === 'service.server.js') child.send({ cmd: 'stop' } satisfies ServiceRequest);
      else child.kill('SIGTERM');
      await exited;
    },
  };
}

function cpuMs(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat (after the command name): utime and stime, in clock ticks of 10 ms.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Asks the service child for `count` fresh orders with an open Checkout attempt each. */
export function fixtures(service: ChildServer, count: number, tag: string): Promise<Fixture[]> {
  return new Promise((resolve) => {
    service.child.once('message', (m: { fixtures: Fixture[] }) => resolve(m.fixtures));
    service.child.send({ cmd: 'fixtures', count, tag } satisfies ServiceRequest);
  });
}
