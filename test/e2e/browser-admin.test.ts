/**
 * The admin page in a real browser, beside a customer's order page in a second browser context:
 * the key is typed and kept in memory only, orders are filtered and paged, and refunds (typed in
 * the currency's major unit) show up live on the customer's page.
 */
import type { Page } from 'playwright-core';
import { expectOrderStatus, fillCart, orderIdOf, textOf, useBrowserSuite } from '../helpers/browser.helpers';
import { createOrder, webhooksSettled } from '../helpers/service.helpers';
import { checkout, holdWebhooks, payOnHostedPage, releaseHeldWebhooks } from './stripe.e2e-helpers';

const suite = useBrowserSuite();


/** A customer pays with tok_visa and stays on the order page; returns the page and the order id. */
async function paidCustomerOrder(items: Record<string, number>): Promise<{ page: Page; orderId: string }> {
  const { page } = await suite.visitor();
  await fillCart(page, suite.url, items);
  await page.click('[data-testid="pay-token"]');
  await page.waitForURL((url) => url.href.startsWith(`${suite.url}/order.html`));
  await expectOrderStatus(page, 'PAID');
  await page.locator('[data-testid="live"][data-state="live"]').waitFor();
  return { page, orderId: orderIdOf(page) };
}

async function adminPage(): Promise<Page> {
  const { page } = await suite.visitor();
  await page.goto(`${suite.url}/admin.html`);
  await page.fill('#admin-key', suite.ts.adminKey);
  await page.click('#unlock');
  await page.locator('#console').waitFor();
  return page;
}

async function openOrder(admin: Page, orderId: string): Promise<void> {
  await admin.locator(`[data-testid="open-order"][data-id="${orderId}"]`).click();
  await admin.locator('[data-testid="detail"] [data-testid="order-id"]', { hasText: orderId }).waitFor();
  await admin.locator('[data-testid="detail"] [data-testid="live"][data-state="live"]').waitFor();
}

test('refund part, then the rest: PARTIALLY_REFUNDED → REFUNDED appears live on the customer page', async () => {
  const customer = await paidCustomerOrder({ 'TSHIRT-BLK': 1, 'MUG-WHT': 1 });
  const admin = await adminPage();
  await openOrder(admin, customer.orderId);
  await suite.waitForSubscribers(customer.orderId, 2);
  expect(await textOf(admin, 'refundable')).toBe('Up to $37.00 can be refunded.');

  await admin.fill('#refund-amount', '12.50');
  await admin.fill('#refund-reason', 'Mug arrived chipped');
  await admin.click('[data-testid="refund-submit"]');
  await admin.locator('[data-testid="refund-message"]', { hasText: '$12.50 refunded' }).waitFor();
  await admin.locator('[data-testid="detail"] [data-testid="order-status"][data-status="PARTIALLY_REFUNDED"]').waitFor();
  await admin.locator('[data-testid="refundable"]', { hasText: 'Up to $24.50' }).waitFor();

  // The customer's page, in another browser context, changes without a reload.
  await customer.page.locator('[data-testid="live-event"][data-status="PARTIALLY_REFUNDED"]').waitFor();
  await expectOrderStatus(customer.page, 'PARTIALLY_REFUNDED');
  expect(await textOf(customer.page, 'summary')).toBe('$12.50 of $37.00 has been refunded to you.');
  expect(await textOf(customer.page, 'order-refunded')).toBe('$12.50');
  await suite.screenshot(customer.page, 'admin-refund-partial-customer');
  await suite.screenshot(admin, 'admin-refund-partial');

  await admin.click('[data-testid="refund-submit"]');
  await admin.locator('[data-testid="refund-message"]', { hasText: '$24.50 refunded' }).waitFor();
  await admin.locator('[data-testid="detail"] [data-testid="order-status"][data-status="REFUNDED"]').waitFor();
  expect(await textOf(admin, 'refundable')).toBe('Nothing to refund in status REFUNDED.');
  expect(await admin.locator('[data-testid="refund-submit"]').isDisabled()).toBe(true);

  await customer.page.locator('[data-testid="live-event"][data-status="REFUNDED"]').waitFor();
  await expectOrderStatus(customer.page, 'REFUNDED');
  expect(await textOf(customer.page, 'summary')).toBe('The full amount of $37.00 has been refunded to you.');
  const live = await customer.page.locator('[data-testid="live-event"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-status')));
  expect(live).toEqual(['PARTIALLY_REFUNDED', 'REFUNDED']);
  // The reason is the shop's internal note: the admin sees it, the customer sees a plain history.
  expect(await textOf(admin, 'order-refunds')).toContain('Mug arrived chipped');
  expect(await textOf(admin, 'order-events')).toContain('mutation:refundOrder');
  expect(await textOf(customer.page, 'order-refunds')).not.toContain('Mug arrived chipped');
  expect(await textOf(customer.page, 'order-refunds')).toMatch(/\$12\.50\s*Refunded/);
  expect(await textOf(customer.page, 'order-events')).toMatch(/PAID → PARTIALLY_REFUNDED\s*Partially refunded/);
  expect(await textOf(customer.page, 'order-events')).not.toMatch(/mutation:|stripe:|evt_|re_/);
  await suite.screenshot(customer.page, 'admin-refund-full-customer');
  await suite.screenshot(admin, 'admin-refund-full');
});

test('refund amounts are typed in the major unit and converted exactly (KWD has 3 decimals); bad amounts are explained', async () => {
  const customer = await paidCustomerOrder({ 'DATES-BOX': 2 });
  const admin = await adminPage();
  await openOrder(admin, customer.orderId);
  await suite.waitForSubscribers(customer.orderId, 2);
  expect((await textOf(admin, 'refundable')).replace(/\s/g, ' ')).toBe('Up to KWD 8.500 can be refunded.');

  await admin.fill('#refund-amount', '1.2345');
  await admin.click('[data-testid="refund-submit"]');
  expect(await textOf(admin, 'refund-message')).toBe('KWD has 3 decimal places at most.');
  await admin.fill('#refund-amount', 'ten');
  await admin.click('[data-testid="refund-submit"]');
  expect(await textOf(admin, 'refund-message')).toBe('Enter an amount such as 12.500.');
  await admin.fill('#refund-amount', '9');
  await admin.click('[data-testid="refund-submit"]');
  await admin.locator('[data-testid="refund-message"]', { hasText: 'The refund was not made.' }).waitFor();
  expect(await textOf(admin, 'refund-message')).not.toMatch(/[{}]|"code"|at \//);

  await admin.fill('#refund-amount', '0.1');
  await admin.click('[data-testid="refund-submit"]');
  await admin.locator('[data-testid="refund-message"]', { hasText: 'refunded' }).waitFor();
  expect((await textOf(admin, 'refund-message')).replace(/\s/g, ' ')).toMatch(/^KWD 0\.100 refunded/);
  await customer.page.locator('[data-testid="live-event"][data-status="PARTIALLY_REFUNDED"]').waitFor();
  expect((await textOf(customer.page, 'order-refunded')).replace(/\s/g, ' ')).toBe('KWD 0.100');
});

test('the admin key is asked for, checked, kept in memory only, and forgotten on reload', async () => {
  const { page } = await suite.visitor();
  await page.goto(`${suite.url}/admin.html`);
  await page.fill('#admin-key', 'not-the-key');
  await page.click('#unlock');
  await page.locator('#login-message', { hasText: 'That admin key was not accepted.' }).waitFor();
  expect(await page.locator('#console').isHidden()).toBe(true);

  await page.fill('#admin-key', suite.ts.adminKey);
  await page.click('#unlock');
  await page.locator('#console').waitFor();
  expect(await page.inputValue('#admin-key')).toBe('');
  const stored = await page.evaluate<string>('JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie, url: location.href })');
  expect(stored).not.toContain(suite.ts.adminKey);
  expect((await page.context().cookies()).length).toBe(0);

  await page.reload();
  await page.locator('#login').waitFor();
  expect(await page.locator('#console').isHidden()).toBe(true);
});

test('orders list: status filter and pagination (10 a page, newer/older)', async () => {
  for (let i = 0; i < 12; i += 1) await createOrder(suite.ts.graphqlUrl, [{ sku: 'STICKER-PACK', quantity: i + 1 }], `list-${i}@example.com`);
  const admin = await adminPage();
  const rows = admin.locator('[data-testid="order-row"]');

  await admin.selectOption('[data-testid="status-filter"]', 'CREATED');
  await admin.locator('[data-testid="orders-table"][data-filter="CREATED"]').waitFor();
  await admin.locator('[data-testid="page-info"]', { hasText: /^1–10 of \d+$/ }).waitFor();
  const total = Number((await textOf(admin, 'page-info')).split(' of ')[1]);
  expect(total).toBeGreaterThanOrEqual(12);
  expect(await rows.count()).toBe(10);
  expect(await rows.evaluateAll((r) => r.every((row) => row.getAttribute('data-status') === 'CREATED'))).toBe(true);
  expect(await admin.locator('[data-testid="prev-page"]').isDisabled()).toBe(true);
  const firstPage = await rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-id')));
  await suite.screenshot(admin, 'admin-orders-list');

  await admin.click('[data-testid="next-page"]');
  await admin.locator('[data-testid="page-info"]', { hasText: /^11–/ }).waitFor();
  const secondPage = await rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-id')));
  expect(secondPage.length).toBe(Math.min(10, total - 10));
  expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);

  await admin.click('[data-testid="prev-page"]');
  await admin.locator('[data-testid="page-info"]', { hasText: /^1–10 of / }).waitFor();
  expect(await rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-id')))).toEqual(firstPage);

  await admin.selectOption('[data-testid="status-filter"]', 'DISPUTED');
  await admin.locator('[data-testid="orders-table"][data-filter="DISPUTED"]').waitFor();
  await admin.locator('#orders', { hasText: 'No DISPUTED orders.' }).waitFor();
});

test('webhook inbox view: stored events with their status; a DEAD one is replayed from the page', async () => {
  const customer = await paidCustomerOrder({ 'MUG-WHT': 1 });
  await webhooksSettled(suite.ts);
  const connection = suite.ts.service.orm.em.getConnection();
  const [stored] = await connection.execute<{ id: string }[]>(`select id from webhook_events where order_id = ? and status = 'APPLIED' limit 1`, [customer.orderId]);
  // As the worker leaves an event whose every attempt failed (the failure itself is covered by the inbox suites).
  await connection.execute(`update webhook_events set status = 'DEAD', attempts = 10, last_error = 'database is locked' where id = ?`, [stored.id]);

  const admin = await adminPage();
  await admin.locator('[data-testid="webhook-row"][data-status="APPLIED"]').first().waitFor();
  await admin.selectOption('[data-testid="webhook-status-filter"]', 'DEAD');
  await admin.locator('[data-testid="webhook-table"][data-filter="DEAD"]').waitFor();
  await admin.locator(`[data-testid="webhook-row"][data-id="${stored.id}"][data-status="DEAD"]`, { hasText: 'database is locked' }).waitFor();
  const rows = admin.locator('[data-testid="webhook-row"]');
  expect(await rows.evaluateAll((r) => r.every((row) => row.getAttribute('data-status') === 'DEAD'))).toBe(true);
  await suite.screenshot(admin, 'admin-webhook-inbox');
  await admin.locator(`[data-testid="webhook-row"][data-id="${stored.id}"] [data-testid="replay-webhook"]`).click();
  await admin.locator('#webhook-message', { hasText: 'Event replayed: APPLIED.' }).waitFor();
  const [after] = await connection.execute<{ status: string }[]>('select status from webhook_events where id = ?', [stored.id]);
  expect(after.status).toBe('APPLIED');
});

test('"Check with the provider now" (reconcileOrder): a Checkout paid while its webhook is held turns PAID from the page', async () => {
  await holdWebhooks(suite.ts, true);
  try {
    const order = await createOrder(suite.ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
    const session = (await checkout(suite.ts, order.id, order.token)).data!.createCheckoutSession;
    expect((await payOnHostedPage(session.url)).status).toBe(303);
    const admin = await adminPage();
    await openOrder(admin, order.id);
    await admin.locator('[data-testid="detail"] [data-testid="order-status"][data-status="PENDING"]').waitFor();
    await admin.click('[data-testid="reconcile"]');
    await admin.locator('[data-testid="reconcile-message"]', { hasText: 'moved the order from PENDING to PAID' }).waitFor();
    await admin.locator('[data-testid="detail"] [data-testid="order-status"][data-status="PAID"]').waitFor();
    await admin.locator('[data-testid="detail"]', { hasText: `reconcile:${session.sessionId}` }).waitFor();
    await suite.screenshot(admin, 'admin-reconcile');
  } finally {
    await releaseHeldWebhooks(suite.ts);
    await webhooksSettled(suite.ts);
  }
});
