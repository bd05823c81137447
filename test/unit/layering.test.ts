import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The layering issue 18 left (README "Architecture"), kept: no folder of src/ imports another that imports it back, no file over 200 lines. */
describe('layering of src/', () => {
  it('has no import cycle between folders', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, '.ci', 'folder-deps.mjs')], { encoding: 'utf8' });
    expect(run.stdout).toContain('no import cycle between folders');
    expect(run.status).toBe(0);
  });

  it('has no file over 200 lines', () => {
    const run = spawnSync('bash', [path.join(ROOT, '.ci', 'long-files.sh')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('');
  });
});
