import { readFileSync } from 'node:fs';
import path from 'node:path';

describe('README and package.json agree', () => {
  it('on the oldest Node that runs the service', () => {
    const root = path.join(__dirname, '../..');
    const engines = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).engines.node as string;
    const minimum = /^>=(\d+\.\d+)/.exec(engines)![1];
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(`Node ${minimum} or newer`);
  });
});
