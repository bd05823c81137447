import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PAYPAL_CURRENCIES } from '../../src/providers/paypal/paypal.money';

/** The storefront's copy of PayPal's currency list (public/js is plain browser JS) must match the server's. */
test('the storefront disables PayPal for exactly the currencies the server refuses', () => {
  const source = readFileSync(path.resolve(__dirname, '..', '..', 'public', 'js', 'paypal-currencies.js'), 'utf8');
  const list = /new Set\(\[([^\]]+)\]\)/.exec(source)![1];
  const browser = [...list.matchAll(/'([A-Z]{3})'/g)].map((m) => m[1]).sort();
  expect(browser).toEqual([...PAYPAL_CURRENCIES].sort());
});
