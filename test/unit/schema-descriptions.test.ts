import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The schema is what API users read: its descriptions must stand on their own. */
describe('schema descriptions', () => {
  const sdl = readFileSync(path.join(__dirname, '../../schema/schema.graphql'), 'utf8');

  it('never point at documents users do not have', () => {
    expect(sdl).not.toMatch(/CONTRACT|§/);
  });

  it('name only pages this service serves (returnUrl defaults to the order page)', () => {
    expect(sdl).not.toContain('/payment-return');
    expect(sdl).toContain('/order.html?id=<order id>');
  });
});
