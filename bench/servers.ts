import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { serviceNodeFlags } from './service-node-flags';

/** A server running in its own process, so the load generator never shares its event loop. */
export interface ChildServer {
  url: string;
  /** The server's process id (for reading its CPU time from /proc). */
  pid: number;
  /** Stops the server; resolves with what it reported on the way out (the fake Stripe's call counts). */
  stop(): Promise<unknown>;
}

/**
 * Starts `bench/server-main.js <kind>` with `env` and waits for the URL it reports.
 * `BENCH_CPU_PROF=<dir>` profiles the child (`node --cpu-prof`), for finding where the time goes.
 */
export function startChildServer(kind: 'floor' | 'service' | 'stripe', env: Record<string, string>): Promise<ChildServer> {
  const profDir = process.env.BENCH_CPU_PROF;
  const child: ChildProcess = fork(path.join(__dirname, 'server-main.js'), [kind], {
    env: { ...process.env, ...env },
    execArgv: [...(kind === 'service' ? serviceNodeFlags() : []), ...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${kind}.cpuprofile`] : [])],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code} before listening`)));
    child.once('message', (message: { url: string }) => {
      child.removeAllListeners('exit');
      resolve({
        url: message.url,
        pid: child.pid!,
        stop: () => new Promise((done) => {
          let report: unknown;
          child.on('message', (m: { report?: unknown }) => (report = m.report));
          child.once('exit', () => done(report));
          child.send('stop');
        }),
      });
    });
  });
}
