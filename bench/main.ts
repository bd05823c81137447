import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Runs every `*.bench.js` part next to this file in turn; `--smoke` makes each one short (CI proves it works). */
async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const parts = readdirSync(__dirname).filter((f) => f.endsWith('.bench.js')).sort();
  for (const file of parts) {
    console.log(`\n## ${file.replace(/\.js$/, '')}${smoke ? ' (smoke)' : ''}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const part = require(path.join(__dirname, file)) as { run(opts: { smoke: boolean }): Promise<void> };
    await part.run({ smoke });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
