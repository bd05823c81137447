/**
 * The storefront in a real browser: catalog, prices per currency, the one-currency cart, and the
 * security headers the pages are served with.
 */
import { addToCart, useBrowserSuite } from '../helpers/browser.helpers';
import { startTestService } from '../helpers/service.helpers';

const suite = useBrowserSuite();

test('the catalog shows every product with its price formatted for its currency (JPY 0, USD/GBP 2, KWD 3 digits)', async () => {
  const { page } = await suite.visitor();
  await page.goto(`${suite.url}/`);
  await page.locator('[data-testid="product"]').first().waitFor();

  const price = (sku: string) => page.locator(`[data-testid="product"][data-sku="${sku}"] [data-testid="price"]`).textContent();
  expect(await price('TSHIRT-BLK')).toBe('$25.00');
  expect(await price('STICKER-PACK')).toBe('$4.99');
  expect(await price('TEA-EARLGREY')).toBe('£8.50');
  expect(await price('MATCHA-30G')).toBe('¥1,500');
  expect((await price('DATES-BOX'))?.replace(/\s/g, ' ')).toBe('KWD 4.250');
  await expect(page.locator('[data-testid="product"][data-sku="RETIRED-CAP"]').count()).resolves.toBe(0);
  await suite.screenshot(page, 'storefront-catalog');
});

test('the cart holds one currency: other currencies cannot be added, and the page says why', async () => {
  const { page } = await suite.visitor();
  await page.goto(`${suite.url}/`);
  await page.locator('[data-testid="product"]').first().waitFor();

  await addToCart(page, 'TSHIRT-BLK', 2);
  await addToCart(page, 'MUG-WHT');
  expect(await page.locator('[data-testid="cart-total"]').textContent()).toBe('$62.00');
  expect(await page.locator('[data-testid="cart-line"]').count()).toBe(2);

  const matcha = page.locator('button[data-testid="add-to-cart"][data-sku="MATCHA-30G"]');
  expect(await matcha.isDisabled()).toBe(true);
  expect(await page.locator('[data-testid="product"][data-sku="MATCHA-30G"]').textContent()).toContain('your cart is in USD');
  expect(await page.locator('[data-testid="cart-note"]').textContent()).toMatch(/This cart is in USD\. An order is paid in a single currency/);

  // The cart survives a reload (sessionStorage) and, once emptied, accepts another currency.
  await page.reload();
  await page.locator('[data-testid="cart-line"]').first().waitFor();
  expect(await page.locator('[data-testid="cart-total"]').textContent()).toBe('$62.00');
  await page.click('#cart-clear');
  await addToCart(page, 'MATCHA-30G', 3);
  expect(await page.locator('[data-testid="cart-total"]').textContent()).toBe('¥4,500');
  expect(await page.locator('button[data-testid="add-to-cart"][data-sku="TSHIRT-BLK"]').isDisabled()).toBe(true);
  await suite.screenshot(page, 'storefront-cart-one-currency');
});

test('pages are served with a strict CSP and nosniff; the graphql-ws client is served as an ES module; GraphQL is untouched', async () => {
  for (const file of ['/', '/order.html', '/admin.html', '/js/store.js', '/css/style.css']) {
    const res = await fetch(`${suite.url}${file}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toMatch(/ws:|wss:/);
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  }
  const client = await fetch(`${suite.url}/vendor/graphql-ws/client.js`);
  expect(client.status).toBe(200);
  expect(client.headers.get('content-type')).toMatch(/javascript/);
  const source = await client.text();
  for (const [, imported] of source.matchAll(/from\s+'(\.\/[^']+)'/g)) {
    expect((await fetch(`${suite.url}/vendor/graphql-ws/${imported.slice(2)}`)).status).toBe(200);
  }
  expect((await fetch(`${suite.url}/vendor/graphql-ws/package.json`)).status).toBe(404);
  expect((await fetch(`${suite.url}/vendor/graphql-ws/../../package.json`)).status).toBe(404);

  const graphql = await fetch(`${suite.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ products { sku } }' }) });
  expect(graphql.status).toBe(200);
  expect(graphql.headers.get('content-security-policy')).toBeNull();
});

test('STOREFRONT=off serves no pages', async () => {
  const ts = await startTestService({ STOREFRONT: 'off' });
  try {
    expect((await fetch(`${ts.url}/`)).status).toBe(404);
    expect((await fetch(`${ts.url}/admin.html`)).status).toBe(404);
    expect((await fetch(`${ts.url}/healthz`)).status).toBe(200);
  } finally {
    await ts.close();
  }
});

test('PayPal is offered only for currencies PayPal takes: a KWD cart disables it and says why', async () => {
  const { page } = await suite.visitor();
  await page.goto(`${suite.url}/`);
  await page.locator('[data-testid="product"]').first().waitFor();
  const paypal = page.locator('[data-testid="pay-paypal"]');
  const note = page.locator('[data-testid="paypal-unavailable"]');

  await addToCart(page, 'DATES-BOX');
  expect(await paypal.isDisabled()).toBe(true);
  expect(await note.textContent()).toBe('PayPal does not take payments in KWD. Pay by card instead.');
  expect(await page.locator('[data-testid="pay-stripe-checkout"]').isDisabled()).toBe(false);

  await page.click('#cart-clear');
  await addToCart(page, 'TSHIRT-BLK');
  expect(await paypal.isDisabled()).toBe(false);
  expect(await note.isHidden()).toBe(true);
});
