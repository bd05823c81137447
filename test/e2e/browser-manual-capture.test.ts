/**
 * "Authorize only" in a real browser: the customer ticks the box and pays with a card token or
 * PayPal (the order is AUTHORIZED, nothing charged); the admin page shows Capture and Void for it,
 * and a partial capture turns the customer's open page PAID live.
 */
import type { Page } from 'playwright-core';
import { expectOrderStatus, fillCart, orderIdOf, textOf, useBrowserSuite } from '../helpers/browser.helpers';

const suite = useBrowserSuite();

async function authorizedCustomerOrder(items: Record<string, number>): Promise<{ page: Page; orderId: string }> {
  const { page } = await suite.visitor();
  await fillCart(page, suite.url, items);
  await page.check('[data-testid="authorize-only"]');
  await page.click('[data-testid="pay-token"]');
  await page.waitForURL((url) => url.href.startsWith(`${suite.url}/order.html`));
  await expectOrderStatus(page, 'AUTHORIZED');
  await page.locator('[data-testid="live"][data-state="live"]').waitFor();
  return { page, orderId: orderIdOf(page) };
}

/** Authorize only, with PayPal: approve on the sandbox's page; back on the order page it is AUTHORIZED. */
async function authorizedPayPalOrder(items: Record<string, number>): Promise<{ page: Page; orderId: string }> {
  const { page } = await suite.visitor();
  await fillCart(page, suite.url, items);
  await page.check('[data-testid="authorize-only"]');
  await page.click('[data-testid="pay-paypal"]');
  await page.waitForURL((url) => url.href.startsWith(suite.sandboxUrl));
  await page.click('button[name="action"][value="approve"]');
  await page.waitForURL((url) => url.href.startsWith(`${suite.url}/order.html`));
  await expectOrderStatus(page, 'AUTHORIZED');
  await page.locator('[data-testid="live"][data-state="live"]').waitFor();
  return { page, orderId: orderIdOf(page) };
}

async function adminOn(orderId: string): Promise<Page> {
  const { page } = await suite.visitor();
  await page.goto(`${suite.url}/admin.html`);
  await page.fill('#admin-key', suite.ts.adminKey);
  await page.click('#unlock');
  await page.locator('#console').waitFor();
  await page.locator(`[data-testid="open-order"][data-id="${orderId}"]`).click();
  await page.locator('[data-testid="detail"] [data-testid="live"][data-state="live"]').waitFor();
  return page;
}

test('authorize only → the admin captures part → PAID live on the customer page; refunds stop at the captured amount', async () => {
  const customer = await authorizedCustomerOrder({ 'TSHIRT-BLK': 1, 'MUG-WHT': 1 });
  const admin = await adminOn(customer.orderId);
  await suite.waitForSubscribers(customer.orderId, 2);
  expect(await admin.locator('[data-testid="capture-form"]').isVisible()).toBe(true);
  expect(await textOf(admin, 'capturable')).toBe('$37.00 is authorized.');
  await admin.fill('#capture-amount', '30.00');
  await admin.click('[data-testid="capture-submit"]');
  await admin.locator('[data-testid="capture-message"]', { hasText: '$30.00 captured' }).waitFor();
  await admin.locator('[data-testid="detail"] [data-testid="order-status"][data-status="PAID"]').waitFor();
  expect(await admin.locator('[data-testid="capture-form"]').isVisible()).toBe(false);
  await admin.locator('[data-testid="refundable"]', { hasText: 'Up to $30.00' }).waitFor();
  await customer.page.locator('[data-testid="live-event"][data-status="PAID"]').waitFor();
  await expectOrderStatus(customer.page, 'PAID');
  await suite.screenshot(admin, 'admin-manual-capture');
});

test('authorize only → the admin voids → CANCELED, nothing charged', async () => {
  const customer = await authorizedCustomerOrder({ 'MUG-WHT': 1 });
  const admin = await adminOn(customer.orderId);
  await admin.click('[data-testid="void-submit"]');
  await admin.locator('[data-testid="capture-message"]', { hasText: 'nothing was charged' }).waitFor();
  await admin.locator('[data-testid="detail"] [data-testid="order-status"][data-status="CANCELED"]').waitFor();
  await customer.page.locator('[data-testid="live-event"][data-status="CANCELED"]').waitFor();
  await expectOrderStatus(customer.page, 'CANCELED');
});

test('PayPal, authorize only → the admin captures part → PAID live on the customer page', async () => {
  const customer = await authorizedPayPalOrder({ 'TSHIRT-BLK': 1, 'MUG-WHT': 1 });
  expect(await textOf(customer.page, 'order-payments')).toMatch(/PayPal\s*AUTHORIZED/);
  const admin = await adminOn(customer.orderId);
  await suite.waitForSubscribers(customer.orderId, 2);
  expect(await textOf(admin, 'capturable')).toBe('$37.00 is authorized.');
  await admin.fill('#capture-amount', '25.00');
  await admin.click('[data-testid="capture-submit"]');
  await admin.locator('[data-testid="capture-message"]', { hasText: '$25.00 captured' }).waitFor();
  await admin.locator('[data-testid="detail"] [data-testid="order-status"][data-status="PAID"]').waitFor();
  await customer.page.locator('[data-testid="live-event"][data-status="PAID"]').waitFor();
  await expectOrderStatus(customer.page, 'PAID');
});

test('PayPal, authorize only → the admin voids → CANCELED, nothing charged', async () => {
  const customer = await authorizedPayPalOrder({ 'MUG-WHT': 1 });
  const admin = await adminOn(customer.orderId);
  await admin.click('[data-testid="void-submit"]');
  await admin.locator('[data-testid="capture-message"]', { hasText: 'nothing was charged' }).waitFor();
  await admin.locator('[data-testid="detail"] [data-testid="order-status"][data-status="CANCELED"]').waitFor();
  await customer.page.locator('[data-testid="live-event"][data-status="CANCELED"]').waitFor();
});

test('PayPal, authorize only → the admin unticks "final capture", captures part, then captures the rest: two captures, everything captured', async () => {
  const customer = await authorizedPayPalOrder({ 'TSHIRT-BLK': 1, 'MUG-WHT': 1 });
  const admin = await adminOn(customer.orderId);
  expect(await admin.isChecked('[data-testid="capture-final"]')).toBe(true);
  await admin.fill('#capture-amount', '10.00');
  await admin.uncheck('[data-testid="capture-final"]');
  await admin.click('[data-testid="capture-submit"]');
  await admin.locator('[data-testid="capture-message"]', { hasText: '$10.00 captured' }).waitFor();
  await admin.locator('[data-testid="detail"] [data-testid="order-status"][data-status="PAID"]').waitFor();
  await admin.locator('[data-testid="capturable"]', { hasText: '$10.00 of $37.00 captured; $27.00 can still be captured.' }).waitFor();
  expect(await admin.textContent('[data-testid="void-submit"]')).toBe('Release the rest');
  expect(await admin.isChecked('[data-testid="capture-final"]')).toBe(true);
  await admin.click('[data-testid="capture-submit"]');
  await admin.locator('[data-testid="capture-message"]', { hasText: '$37.00 captured' }).waitFor();
  await admin.locator('[data-testid="capture-form"]').waitFor({ state: 'hidden' });
  await expectOrderStatus(customer.page, 'PAID');
});

test('PayPal, captured in part → the admin releases the rest: PAID with what was captured, no Capture form any more', async () => {
  const customer = await authorizedPayPalOrder({ 'MUG-WHT': 2 });
  const admin = await adminOn(customer.orderId);
  await admin.fill('#capture-amount', '5.00');
  await admin.uncheck('[data-testid="capture-final"]');
  await admin.click('[data-testid="capture-submit"]');
  await admin.locator('[data-testid="capture-message"]', { hasText: '$5.00 captured' }).waitFor();
  await admin.locator('[data-testid="void-submit"]', { hasText: 'Release the rest' }).click();
  await admin.locator('[data-testid="capture-message"]', { hasText: 'The rest of the authorization was released; $5.00 stays captured.' }).waitFor();
  await admin.locator('[data-testid="capture-form"]').waitFor({ state: 'hidden' });
  await expectOrderStatus(customer.page, 'PAID');
});
