import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Runs every `*.bench.js` part next to this file in name order; `--smoke` runs each one briefly. */
async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const parts = readdirSync(__dirname).filter((f) => f.endsWith('.bench.js') && (!only || f.startsWith(only))).sort();
  for (const file of parts) {
    console.log(`\n## ${file.replace(/\.bench\.js$/, '')}${smoke ? ' (smoke)' : ''}`);
    const part = (await import(path.join(__dirname, file))) as { run(opts: { smoke: boolean }): Promise<void> };
    await part.run({ smoke });
  }
}

// Exit explicitly: a part's child servers or sockets must not keep a finished run alive.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
