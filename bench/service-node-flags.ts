import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The Node flags `npm start` runs the service with (package.json's `start` script, e.g. its heap
 * cap), so the benchmark measures the service as it is deployed, not with Node's defaults.
 */
export function serviceNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [, ...words] = pkg.scripts.start.trim().split(/\s+/);
  return words.filter((word) => word.startsWith('--'));
}
