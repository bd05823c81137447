import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBuilt, runMain, SANDBOX_MAIN } from '../helpers/process.helpers';

/** A port already taken at start-up: one clean line naming the port and the variable, no stack trace. */
describe('node dist/main.js on a port in use', () => {
  let dir: string;
  let taken: Server;
  let port: number;

  beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'payments-port-'));
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    port = (taken.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => taken.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['PORT', (p: number) => ({ PORT: String(p), SANDBOX_PORT: '0' })],
    ['SANDBOX_PORT', (p: number) => ({ PORT: '0', SANDBOX_PORT: String(p) })],
  ])('%s taken', async (_name, env) => {
    const started = runMain(dir, { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', DATABASE_URL: 'sqlite::memory:', ...env(port) });
    expect(await started.exit).toBe(1);
    expect(started.stderr().trim().split('\n')).toEqual([
      `The service failed to start: port ${port} on 127.0.0.1 is already in use. Stop what uses it, or choose another port (PORT for the API, SANDBOX_PORT for the sandbox, METRICS_PORT for metrics).`,
    ]);
  });

  it('SANDBOX_PORT taken for the standalone sandbox (npm run sandbox)', async () => {
    const started = runMain(dir, { PATH: process.env.PATH ?? '', SANDBOX_HOST: '127.0.0.1', SANDBOX_PORT: String(port) }, SANDBOX_MAIN);
    expect(await started.exit).toBe(1);
    expect(started.stderr().trim().split('\n')).toEqual([
      `sandbox: port ${port} on 127.0.0.1 is already in use. Stop what uses it, or choose another port with SANDBOX_PORT.`,
    ]);
  });
});
