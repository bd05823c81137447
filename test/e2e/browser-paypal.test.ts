/**
 * Paying with PayPal in a real browser: the storefront creates the PayPal order, the person
 * approves (or cancels) on the sandbox's hosted approval page, and the order page captures on
 * return. PAID comes from the server-to-server capture, never from the redirect.
 */
import type { Page } from 'playwright-core';
import { expectOrderStatus, fillCart, orderIdOf, textOf, useBrowserSuite } from '../helpers/browser.helpers';

const suite = useBrowserSuite();


async function toPayPal(page: Page, items: Record<string, number>): Promise<string> {
  await fillCart(page, suite.url, items);
  await page.click('[data-testid="pay-paypal"]');
  await page.waitForURL((url) => url.href.startsWith(suite.sandboxUrl));
  await page.locator('button[name="action"][value="approve"]').waitFor();
  const paypalOrderId = new URL(page.url()).searchParams.get('token');
  if (!paypalOrderId) throw new Error(`no PayPal order id in ${page.url()}`);
  return paypalOrderId;
}

async function backOnOrderPage(page: Page): Promise<string> {
  await page.waitForURL((url) => url.href.startsWith(`${suite.url}/order.html`));
  await page.locator('[data-testid="order-status"]').waitFor();
  return orderIdOf(page);
}

test('PayPal approve → return → capture: the order page shows PAID', async () => {
  const { page } = await suite.visitor();
  await toPayPal(page, { 'TEA-EARLGREY': 2, 'SCARF-WOOL': 1 });
  expect(await page.locator('#total').textContent()).toContain('51.99 GBP');
  await suite.screenshot(page, 'paypal-approval-page');

  await page.click('button[name="action"][value="approve"]');
  await backOnOrderPage(page);
  // PayPal's token and PayerID have been used for the capture and are gone from the address bar.
  expect(page.url()).not.toContain('PayerID');
  await expectOrderStatus(page, 'PAID');
  expect(await textOf(page, 'headline')).toBe('Thank you — payment received');
  expect(await textOf(page, 'order-total')).toBe('£51.99');
  expect(await textOf(page, 'order-payments')).toMatch(/PayPal\s*SUCCEEDED/);
  await suite.screenshot(page, 'paypal-paid');

  // A reload does not capture again; the page still shows what the server says.
  await page.reload();
  await expectOrderStatus(page, 'PAID');
  expect(await page.locator('[data-testid="order-payments"] tbody tr').count()).toBe(1);
});

test('PayPal cancel: the order page shows the order still payable and offers the ways to pay', async () => {
  const { page } = await suite.visitor();
  await toPayPal(page, { 'MATCHA-30G': 1 });
  await page.click('button[name="action"][value="cancel"]');
  await backOnOrderPage(page);
  expect(await textOf(page, 'headline')).toBe('Payment canceled');
  expect(await textOf(page, 'summary')).toContain('Your order (¥1,500) is still open and can be paid below.');
  expect(await page.locator('[data-testid="pay-again"]').isVisible()).toBe(true);
  expect(await page.locator('[data-testid="order-status"]').getAttribute('data-status')).not.toBe('PAID');
  await suite.screenshot(page, 'paypal-canceled');

  // Paying again with PayPal from the cancel page works.
  await page.click('[data-testid="pay-paypal"]');
  await page.waitForURL((url) => url.href.startsWith(suite.sandboxUrl));
  await page.click('button[name="action"][value="approve"]');
  await backOnOrderPage(page);
  await expectOrderStatus(page, 'PAID');
});

test('a PayPal capture declined with INSTRUMENT_DECLINED is explained in words and the order can be paid another way', async () => {
  const { page } = await suite.visitor();
  const paypalOrderId = await toPayPal(page, { 'MUG-WHT': 1 });
  await suite.sandboxControl(`paypal/orders/${paypalOrderId}/mock`, { mock_application_codes: 'INSTRUMENT_DECLINED' });
  await page.click('button[name="action"][value="approve"]');
  await backOnOrderPage(page);
  const summary = page.locator('[data-testid="summary"]');
  await summary.filter({ hasText: 'INSTRUMENT_DECLINED' }).waitFor();
  expect(await summary.textContent()).toContain('PayPal declined this payment method (INSTRUMENT_DECLINED)');
  expect(await summary.textContent()).not.toMatch(/[{}]|"code"|at \//);
  expect(await page.locator('[data-testid="pay-again"]').isVisible()).toBe(true);
  await suite.screenshot(page, 'paypal-declined');

  await page.click('[data-testid="pay-token"]');
  await page.waitForURL((url) => !url.searchParams.has('token'));
  await expectOrderStatus(page, 'PAID');
});
