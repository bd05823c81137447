import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureBuilt, ROOT } from '../helpers/process.helpers';

/**
 * The default logger writes stdout asynchronously (src/logging/logger.ts): every line logged before
 * the process ends still reaches stdout, whether it exits on purpose or on an uncaught exception.
 */
describe('asynchronous stdout logging', () => {
  beforeAll(() => ensureBuilt());

  const run = (ending: string) => {
    const logger = JSON.stringify(path.join(ROOT, 'dist', 'logging', 'logger.js'));
    const script = `const log = require(${logger}).createLogger('info'); for (let i = 0; i < 5000; i++) log.info({ i }, 'line'); ${ending}`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { status: child.status, lines: child.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { i: number }) };
  };

  it.each([
    ['process.exit', 'process.exit(3)', 3],
    ['an uncaught exception', "throw new Error('boom')", 1],
  ])('keeps every line when the process ends by %s', (_name, ending, status) => {
    const result = run(ending);
    expect(result.status).toBe(status);
    expect(result.lines.map((l) => l.i)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});
