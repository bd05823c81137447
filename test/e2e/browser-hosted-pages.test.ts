/**
 * The sandbox's hosted provider pages (Stripe Checkout, the 3-D Secure challenge, PayPal's approval
 * page) in a real browser: each is marked SANDBOX in a visible banner, shows what is being paid,
 * and loads nothing from anywhere but the sandbox itself (the machine, and a demo, may be offline).
 */
import type { Page, Request } from 'playwright-core';
import { fillCart, useBrowserSuite } from '../helpers/browser.helpers';

const suite = useBrowserSuite();

/** Goes from the shop to the hosted page the given pay button leads to; returns its address. */
async function hostedPageUrl(items: Record<string, number>, payButton: string, cardToken?: string): Promise<string> {
  const { page } = await suite.visitor();
  await fillCart(page, suite.url, items);
  if (cardToken) await page.fill('#card-token', cardToken);
  await page.click(`[data-testid="${payButton}"]`);
  await page.waitForURL((url) => url.href.startsWith(suite.sandboxUrl));
  return page.url();
}

interface Opened {
  page: Page;
  requests: string[];
  consoleErrors: string[];
}

/** Opens `url` in a fresh browser context, recording every request and console error from the start. */
async function openRecorded(url: string): Promise<Opened> {
  const { page } = await suite.visitor();
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (request: Request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  return { page, requests, consoleErrors };
}

/** The banner is there, readable and at the top of the page where nobody can miss it. */
async function expectSandboxBanner(page: Page): Promise<void> {
  const banner = page.locator('#sandbox-banner');
  expect(await banner.isVisible()).toBe(true);
  expect(await banner.textContent()).toContain('SANDBOX');
  expect(await banner.textContent()).toContain('no real payment is made');
  const box = await banner.boundingBox();
  expect(box?.y).toBe(0);
  expect(box?.width).toBeGreaterThan(600);
}

/** Every request went to the sandbox's own origin: no CDN, no web font, no logo from elsewhere. */
function expectOnlySandboxRequests(opened: Opened): void {
  const origin = new URL(suite.sandboxUrl).origin;
  expect(opened.requests.length).toBeGreaterThan(0);
  expect(opened.requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin)).toEqual([]);
  // A blocked load (the pages' Content-Security-Policy refuses anything external) would be a console error.
  expect(opened.consoleErrors).toEqual([]);
}

async function lineItemTexts(page: Page): Promise<string[]> {
  return (await page.locator('[data-testid="line-item"]').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
}

test('Stripe Checkout: SANDBOX banner, line items and total, pay button, nothing loaded from elsewhere', async () => {
  const opened = await openRecorded(await hostedPageUrl({ 'TSHIRT-BLK': 2, 'MUG-WHT': 1 }, 'pay-stripe-checkout'));
  const { page } = opened;
  await expectSandboxBanner(page);
  const items = await lineItemTexts(page);
  expect(items).toHaveLength(2);
  expect(items.find((t) => t.includes('Black T-shirt'))).toMatch(/Qty 2 · \$25\.00 each.*\$50\.00$/);
  expect(items.find((t) => t.includes('White mug'))).toMatch(/Qty 1.*\$12\.00$/);
  expect(await page.locator('#total').textContent()).toBe('$62.00');
  expect(await page.locator('[data-testid="total-due"]').textContent()).toBe('$62.00');
  expect(await page.locator('button[name="action"][value="pay"]').textContent()).toBe('Pay $62.00');
  // The summary sits left of the card form, as on Stripe's two-column Checkout.
  const summary = await page.locator('.co-summary').boundingBox();
  const form = await page.locator('#card_number').boundingBox();
  expect(summary!.x + summary!.width).toBeLessThanOrEqual(form!.x);
  expectOnlySandboxRequests(opened);
  await suite.screenshot(page, 'hosted-stripe-checkout');

  // The pages that refuse a payment wear the same banner: here, an expired session.
  const sessionId = /\/(cs_\w+)/.exec(page.url())?.[1];
  await suite.sandboxControl(`stripe/checkout/sessions/${sessionId}/expire`);
  expect((await page.goto(page.url()))?.status()).toBe(410);
  await expectSandboxBanner(page);
  expect(await page.locator('h1').textContent()).toBe('This Checkout Session has expired.');
});

test('3-D Secure challenge: SANDBOX banner, amount and card, both buttons, nothing loaded from elsewhere', async () => {
  const opened = await openRecorded(await hostedPageUrl({ FUROSHIKI: 2 }, 'pay-token', 'tok_threeDSecure2Required'));
  const { page } = opened;
  await expectSandboxBanner(page);
  expect(await page.locator('h1').textContent()).toBe('Complete authentication');
  expect(await page.locator('#amount').textContent()).toBe('¥5,600');
  expect(await page.locator('.tds-details').textContent()).toMatch(/VISA •••• \d{4}/);
  expect(await page.locator('button[name="action"][value="complete"]').isVisible()).toBe(true);
  expect(await page.locator('button[name="action"][value="fail"]').isVisible()).toBe(true);
  expectOnlySandboxRequests(opened);
  await suite.screenshot(page, 'hosted-3ds-challenge');
});

test('PayPal approval: SANDBOX banner, items and total, Pay Now, nothing loaded from elsewhere', async () => {
  const opened = await openRecorded(await hostedPageUrl({ 'TEA-EARLGREY': 2, 'SCARF-WOOL': 1 }, 'pay-paypal'));
  const { page } = opened;
  await expectSandboxBanner(page);
  const items = await lineItemTexts(page);
  expect(items).toHaveLength(2);
  expect(items.find((t) => t.includes('Earl Grey tea'))).toMatch(/Qty 2 × £8\.50 GBP.*£17\.00 GBP$/);
  expect(items.find((t) => t.includes('Wool scarf'))).toMatch(/Qty 1 × £34\.99 GBP.*£34\.99 GBP$/);
  expect(await page.locator('#total').textContent()).toBe('£51.99 GBP');
  expect(await page.locator('button[name="action"][value="approve"]').textContent()).toBe('Pay Now');
  expect(await page.locator('button[name="action"][value="cancel"]').isVisible()).toBe(true);
  expectOnlySandboxRequests(opened);
  await suite.screenshot(page, 'hosted-paypal-approval');
});
