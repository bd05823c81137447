/**
 * Paying with Stripe in a real browser, through the storefront and the sandbox's hosted pages:
 * Stripe Checkout (success, decline, cancel, expiry), card tokens, and 3-D Secure. The order
 * page never trusts the redirect: PAID appears only when the server says so.
 */
import type { Page } from 'playwright-core';
import { expectOrderStatus, fillCart, orderIdOf, payOnStripeCheckout, textOf, useBrowserSuite } from '../helpers/browser.helpers';

const suite = useBrowserSuite(async (s) => {
  await s.sandboxControl('webhooks/hold', { hold: false });
  await s.sandboxControl('webhooks/release', {});
});

async function toStripeCheckout(page: Page, items: Record<string, number> = { 'TSHIRT-BLK': 2 }): Promise<void> {
  await fillCart(page, suite.url, items);
  await page.click('[data-testid="pay-stripe-checkout"]');
  await page.waitForURL((url) => url.href.startsWith(suite.sandboxUrl));
  await page.locator('#card_number').waitFor();
}

async function onOrderPage(page: Page): Promise<string> {
  await page.waitForURL((url) => url.href.startsWith(`${suite.url}/order.html`));
  await page.locator('[data-testid="order-status"]').waitFor();
  return orderIdOf(page);
}


test('Stripe Checkout with 4242 4242 4242 4242: the success page waits for the webhook and shows PENDING → PAID live', async () => {
  const { page } = await suite.visitor();
  await toStripeCheckout(page);
  expect(await page.locator('#total').textContent()).toBe('$50.00');
  await suite.screenshot(page, 'stripe-checkout-hosted-page');

  // Hold Stripe's webhooks: the redirect alone must not make the order look paid.
  await suite.sandboxControl('webhooks/hold', { provider: 'stripe', hold: true });
  await payOnStripeCheckout(page, '4242 4242 4242 4242');
  const orderId = await onOrderPage(page);
  expect(new URL(page.url()).search).toMatch(/^\?id=[^&]+$/);
  await expectOrderStatus(page, 'PENDING');
  expect(await textOf(page, 'headline')).toBe('Confirming your payment…');
  await page.locator('[data-testid="live"][data-state="live"]').waitFor();
  await suite.waitForSubscribers(orderId);
  expect(await page.locator('[data-testid="pay-again"]').isHidden()).toBe(true);
  await suite.screenshot(page, 'stripe-checkout-success-pending');

  await suite.sandboxControl('webhooks/release', { provider: 'stripe' });
  await expectOrderStatus(page, 'PAID');
  await page.locator('[data-testid="live-event"][data-status="PAID"]').waitFor();
  expect(await textOf(page, 'headline')).toBe('Thank you — payment received');
  expect(await textOf(page, 'summary')).toContain('Your payment of $50.00 is confirmed');
  expect(await textOf(page, 'order-total')).toBe('$50.00');
  expect(await textOf(page, 'order-items')).toContain('Black T-shirt');
  expect(await textOf(page, 'order-payments')).toMatch(/Stripe Checkout\s*SUCCEEDED/);
  expect(await textOf(page, 'order-payments')).toMatch(/cs_\w+/);
  expect(await textOf(page, 'order-events')).toMatch(/PENDING → PAID\s*Paid/);
  // The customer's history is plain: no event ids, mutation names or internal notes.
  expect(await textOf(page, 'order-events')).not.toMatch(/stripe:|evt_|mutation:|PAYMENT_STARTED/);
  await suite.screenshot(page, 'stripe-checkout-paid');

  // The paid order's cart is done: the shop starts empty again.
  await page.goto(`${suite.url}/`);
  await page.locator('[data-testid="product"]').first().waitFor();
  expect(await page.locator('#cart-empty').isVisible()).toBe(true);
});

test('Stripe Checkout with 4000 0000 0000 0002: the decline is shown on the hosted page, and another card pays', async () => {
  const { page } = await suite.visitor();
  await toStripeCheckout(page, { 'TEA-EARLGREY': 1 });
  await payOnStripeCheckout(page, '4000 0000 0000 0002');
  await page.locator('#error').waitFor();
  expect(await page.locator('#error').textContent()).toContain('Your card was declined.');
  await suite.screenshot(page, 'stripe-checkout-declined');

  await payOnStripeCheckout(page, '4242 4242 4242 4242');
  await onOrderPage(page);
  await expectOrderStatus(page, 'PAID');
  expect(await textOf(page, 'order-total')).toBe('£8.50');
});

test('Stripe Checkout cancel: the cancel page shows the order is still payable, and it can be paid again from there', async () => {
  const { page } = await suite.visitor();
  await toStripeCheckout(page, { 'MATCHA-30G': 2 });
  await page.click('button[name="action"][value="cancel"]');
  await onOrderPage(page);
  expect(await textOf(page, 'headline')).toBe('Payment canceled');
  expect(await textOf(page, 'summary')).toContain('nothing was charged. Your order (¥3,000) is still open and can be paid below.');
  expect(await page.locator('[data-testid="pay-again"]').isVisible()).toBe(true);
  await suite.screenshot(page, 'stripe-checkout-canceled');

  await page.click('[data-testid="pay-token"]');
  await page.waitForURL((url) => url.searchParams.get('via') === 'card' || !url.searchParams.has('result'));
  await expectOrderStatus(page, 'PAID');
  expect(await textOf(page, 'order-total')).toBe('¥3,000');
});

test('an expired Checkout Session says so in plain words, and the order can be paid again', async () => {
  const { page } = await suite.visitor();
  await toStripeCheckout(page, { 'DATES-BOX': 1 });
  const sessionId = /\/(cs_\w+)/.exec(page.url())?.[1];
  expect(sessionId).toBeDefined();
  await suite.sandboxControl(`stripe/checkout/sessions/${sessionId}/expire`);

  // The person comes back to the shop later and opens the order from "your orders".
  await page.goto(`${suite.url}/`);
  const ids = await page.evaluate<string[]>("Object.keys(localStorage).filter((k) => k.startsWith('order-token:')).map((k) => k.slice(12))");
  expect(ids).toHaveLength(1);
  await page.click(`#my-orders-list a[href="/order.html?id=${ids[0]}"]`);
  await expectOrderStatus(page, 'EXPIRED');
  expect(await textOf(page, 'headline')).toBe('Checkout expired');
  expect(await textOf(page, 'summary')).toContain('The payment session expired before it was completed, so nothing was charged.');
  expect(await page.locator('[data-testid="pay-again"]').isVisible()).toBe(true);
  expect((await textOf(page, 'order-total')).replace(/\s/g, ' ')).toBe('KWD 4.250');
  await suite.screenshot(page, 'stripe-checkout-expired');
});

test('card token tok_visa: charged server-to-server, the order page shows PAID', async () => {
  const { page } = await suite.visitor();
  await fillCart(page, suite.url, { 'MUG-WHT': 1, 'STICKER-PACK': 2 });
  expect(await page.inputValue('#card-token')).toBe('tok_visa');
  await page.click('[data-testid="pay-token"]');
  const orderId = await onOrderPage(page);
  await expectOrderStatus(page, 'PAID');
  expect(await textOf(page, 'order-total')).toBe('$21.98');
  expect(await textOf(page, 'order-payments')).toMatch(/Card \(Stripe\)\s*SUCCEEDED/);
  expect(await textOf(page, 'order-payments')).toMatch(/pi_\w+.*ch_\w+/);
  await suite.screenshot(page, 'stripe-token-paid');

  // The token never appears in a URL; it is in this browser's storage only.
  const stored = await page.evaluate<string | null>(`localStorage.getItem(${JSON.stringify(`order-token:${orderId}`)})`);
  expect(stored).toBeTruthy();
  expect(page.url()).not.toContain(stored!);
});

test('a declined card token says so in words ("Your card was declined (card_declined)"); the same order then pays', async () => {
  const { page } = await suite.visitor();
  await fillCart(page, suite.url, { 'SCARF-WOOL': 1 });
  await page.fill('#card-token', 'tok_chargeDeclined');
  await page.click('[data-testid="pay-token"]');
  const message = page.locator('[data-testid="pay-message"]');
  await message.filter({ hasText: 'declined' }).waitFor();
  expect(await message.textContent()).toContain('Your card was declined (card_declined)');
  expect(await message.textContent()).not.toMatch(/[{}]|"code"|at \//);
  expect(await page.locator('[data-testid="pay-token"]').isEnabled()).toBe(true);
  await suite.screenshot(page, 'stripe-token-declined');

  await page.fill('#card-token', 'tok_visa');
  await page.click('[data-testid="pay-token"]');
  await onOrderPage(page);
  await expectOrderStatus(page, 'PAID');
  // One order, two attempts: the declined one and the one that paid.
  const attempts = page.locator('[data-testid="order-payments"] tbody tr');
  expect(await attempts.count()).toBe(2);
  expect(await textOf(page, 'order-payments')).toContain('Your card was declined (card_declined)');
  expect(await textOf(page, 'order-payments')).toContain('SUCCEEDED');
});

test('an unknown card token says what was wrong, not that the card was declined', async () => {
  const { page } = await suite.visitor();
  await fillCart(page, suite.url, { 'SCARF-WOOL': 1 });
  await page.fill('#card-token', 'tok_doesNotExist');
  await page.click('[data-testid="pay-token"]');
  const message = page.locator('[data-testid="pay-message"]');
  await message.filter({ hasText: 'tok_doesNotExist' }).waitFor();
  expect(await message.textContent()).toBe("No such token: 'tok_doesNotExist' (resource_missing).");
  expect(await page.locator('[data-testid="pay-token"]').isEnabled()).toBe(true);
});

test('every payment click sends its own Idempotency-Key: the same declined card clicked twice is two attempts', async () => {
  const { page } = await suite.visitor();
  const keys: { operation: string; key: string | undefined }[] = [];
  page.on('request', (request) => {
    const body = request.method() === 'POST' && request.url().endsWith('/graphql') ? request.postData() : null;
    const operation = body && /^\s*mutation\s+(\w+)/.exec(JSON.parse(body).query)?.[1];
    if (operation) keys.push({ operation, key: request.headers()['idempotency-key'] });
  });
  await fillCart(page, suite.url, { 'SCARF-WOOL': 1 });
  await page.fill('#card-token', 'tok_chargeDeclined');
  const message = page.locator('[data-testid="pay-message"]');
  for (let click = 0; click < 2; click++) {
    const answered = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('chargeWithToken'));
    await page.click('[data-testid="pay-token"]');
    await answered;
    await message.filter({ hasText: 'declined' }).waitFor();
    await page.locator('[data-testid="pay-token"]:enabled').waitFor();
  }
  await page.fill('#card-token', 'tok_visa');
  await page.click('[data-testid="pay-token"]');
  await onOrderPage(page);
  await expectOrderStatus(page, 'PAID');
  expect(await page.locator('[data-testid="order-payments"] tbody tr').count()).toBe(3);
  expect(keys.map((k) => k.operation)).toEqual(['Create', 'Charge', 'Charge', 'Charge']);
  for (const { key } of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
  expect(new Set(keys.map((k) => k.key)).size).toBe(keys.length);
});

test('a card charge whose answer is lost on the way is retried by the page with the same key: paid once', async () => {
  const { page } = await suite.visitor();
  const charges: string[] = [];
  await page.route('**/graphql', async (route) => {
    const body = route.request().postData() ?? '';
    if (!body.includes('chargeWithToken')) return route.continue();
    charges.push(route.request().headers()['idempotency-key']);
    if (charges.length > 1) return route.continue();
    await route.fetch(); // the server charges and answers…
    await route.abort('connectionreset'); // …and the answer never reaches the page
  });
  await fillCart(page, suite.url, { 'SCARF-WOOL': 1 });
  await page.click('[data-testid="pay-token"]');
  await onOrderPage(page);
  await expectOrderStatus(page, 'PAID');
  expect(charges).toHaveLength(2);
  expect(charges[1]).toBe(charges[0]);
  expect(await page.locator('[data-testid="order-payments"] tbody tr').count()).toBe(1);
  // The one problem the browser reports is the connection this test cut.
  expect(suite.takeProblems().map((p) => p.text)).toEqual(['Failed to load resource: net::ERR_CONNECTION_RESET']);
});

test('3-D Secure (tok_threeDSecure2Required): the authentication page, then back to the order page, PAID', async () => {
  const { page } = await suite.visitor();
  await fillCart(page, suite.url, { 'FUROSHIKI': 1 });
  await page.fill('#card-token', 'tok_threeDSecure2Required');
  await page.click('[data-testid="pay-token"]');
  await page.waitForURL((url) => url.href.startsWith(suite.sandboxUrl));
  await page.locator('button[name="action"][value="complete"]').waitFor();
  expect(await page.locator('#amount').textContent()).toContain('2,800');
  await suite.screenshot(page, 'stripe-3ds-authentication');

  await page.click('button[name="action"][value="complete"]');
  await onOrderPage(page);
  // Stripe's return parameters (client secret included) are dropped from the address bar.
  expect(page.url()).not.toContain('payment_intent_client_secret');
  await expectOrderStatus(page, 'PAID');
  expect(await textOf(page, 'order-total')).toBe('¥2,800');
  expect(await textOf(page, 'order-events')).toContain('REQUIRES_ACTION');
  await suite.screenshot(page, 'stripe-3ds-paid');
});
