/**
 * The offline GraphQL IDE: GET /graphql in Chromium opens GraphiQL from this service's own origin
 * (no CDN; every other request is blocked and recorded), with the admin key and the WebSocket URL
 * pre-wired, and runs a query and a live subscription.
 */
import type { Page } from 'playwright-core';
import { useBrowserSuite } from '../helpers/browser.helpers';
import { charge, newOrder } from './stripe.e2e-helpers';
import { startTestService } from '../helpers/service.helpers';

const suite = useBrowserSuite();

async function openOffline(page: Page, elsewhere: string[]): Promise<void> {
  const origin = new URL(suite.url).origin;
  await page.context().route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  await page.goto(`${suite.url}/graphql`);
  await page.locator('.graphiql-container').waitFor();
  // The schema has been introspected (through the pre-wired admin key) once the docs explorer can open.
  await page.click('[aria-label="Show Documentation Explorer"]');
  await page.locator('.graphiql-doc-explorer-content', { hasText: 'Query' }).waitFor();
}

async function run(page: Page, operation: string): Promise<void> {
  await page.evaluate((text) => {
    // Runs in the page (the test's tsconfig has no DOM types).
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document;
    const editor = doc.querySelector('.graphiql-query-editor .CodeMirror') as { CodeMirror: { setValue(v: string): void } };
    editor.CodeMirror.setValue(text);
  }, operation);
  // GraphiQL takes an edit into its state after a debounce, and stores it then: wait for that.
  await page.waitForFunction((text) => (globalThis as unknown as { localStorage: { getItem(k: string): string | null } }).localStorage.getItem('graphiql:query') === text, operation);
  await page.click('.graphiql-execute-button');
}

const response = (page: Page) => page.locator('.graphiql-response');

test('loads with no network beyond the service, and runs a query with the admin key', async () => {
  const { page } = await suite.visitor();
  const elsewhere: string[] = [];
  await openOffline(page, elsewhere);
  await run(page, '{ orders(first: 1) { totalCount } products { sku } }');
  await response(page).filter({ hasText: 'MUG-WHT' }).waitFor();
  expect(await response(page).textContent()).toContain('totalCount');
  expect(elsewhere).toEqual([]);
  await suite.screenshot(page, 'graphiql-query');
});

test('runs a subscription over the pre-wired WebSocket: a payment made elsewhere shows up live', async () => {
  const { page } = await suite.visitor();
  const elsewhere: string[] = [];
  await openOffline(page, elsewhere);
  const order = await newOrder(suite.ts);
  await run(page, `subscription { orderStatusChanged(orderId: "${order.id}") { status previousStatus } }`);
  await suite.waitForSubscribers(order.id);
  expect((await charge(suite.ts, order.id, order.token, 'tok_visa')).errors).toBeUndefined();
  await response(page).filter({ hasText: '"PAID"' }).waitFor();
  expect(elsewhere).toEqual([]);
  await suite.screenshot(page, 'graphiql-subscription');
});

test('a JSON client at GET /graphql still reaches Apollo, not the IDE', async () => {
  const res = await fetch(`${suite.url}/graphql?query=${encodeURIComponent('{ products { sku } }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  expect(JSON.stringify(await res.json())).toContain('MUG-WHT');
});

test('production serves no IDE and no CDN landing page at GET /graphql', async () => {
  const prod = await startTestService({ NODE_ENV: 'production', PUBLIC_URL: 'https://pay.example.com', SANDBOX: 'off', LOG_LEVEL: 'silent' });
  try {
    const res = await fetch(`${prod.url}/graphql`, { headers: { accept: 'text/html' } });
    const body = await res.text();
    expect(body).not.toMatch(/graphiql|apollographql\.com|embeddable-sandbox/i);
    expect((await fetch(`${prod.url}/graphiql/assets/graphiql.min.js`)).status).toBe(404);
  } finally {
    await prod.close();
  }
});
