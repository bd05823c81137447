/**
 * The storefront's order page resumes its subscription: its socket is cut (a TCP proxy in front of
 * the service) while the order is refunded twice; graphql-ws reconnects by itself, passing the last
 * sequence the page saw, and the page shows each missed change once, in order.
 */
import { expectOrderStatus, fillCart, orderIdOf, useBrowserSuite } from '../helpers/browser.helpers';
import { eventually } from '../helpers/service.helpers';
import { tcpProxy, type TcpProxy } from '../helpers/tcp.helpers';
import { refund, waitForStatus } from './stripe.e2e-helpers';

const suite = useBrowserSuite();
let proxy: TcpProxy;

beforeAll(async () => {
  proxy = await tcpProxy('127.0.0.1', suite.ts.service.port);
});

afterAll(async () => {
  await proxy.down();
});

test('the order page misses nothing and repeats nothing across a cut socket', async () => {
  const { page } = await suite.visitor();
  const viaProxy = `http://127.0.0.1:${proxy.port}`;
  await fillCart(page, viaProxy, { 'TSHIRT-BLK': 1, 'MUG-WHT': 1 });
  await page.click('[data-testid="pay-token"]');
  await page.waitForURL((url) => url.href.startsWith(`${viaProxy}/order.html`));
  await expectOrderStatus(page, 'PAID');
  await page.locator('[data-testid="live"][data-state="live"]').waitFor();
  const orderId = orderIdOf(page);
  await suite.waitForSubscribers(orderId, 1);
  expect((await refund(suite.ts, orderId, 500)).errors).toBeUndefined();
  await page.locator('[data-testid="live-event"][data-status="PARTIALLY_REFUNDED"]').waitFor();

  await proxy.down();
  await page.locator('[data-testid="live"][data-state="offline"]').waitFor();
  expect((await refund(suite.ts, orderId, 700)).errors).toBeUndefined();
  expect((await refund(suite.ts, orderId)).errors).toBeUndefined();
  await waitForStatus(suite.ts, orderId, 'REFUNDED');
  await proxy.up();

  await page.locator('[data-testid="live-event"][data-status="REFUNDED"]').waitFor({ timeout: 30_000 });
  await expectOrderStatus(page, 'REFUNDED');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const live = await page.locator('[data-testid="live-event"]').evaluateAll((items) => items.map((i) => ({ status: i.getAttribute('data-status'), sequence: Number(i.getAttribute('data-sequence')) })));
  const afterPaid = live.slice(live.findIndex((e) => e.status === 'PARTIALLY_REFUNDED'));
  expect(afterPaid.map((e) => e.status)).toEqual(['PARTIALLY_REFUNDED', 'PARTIALLY_REFUNDED', 'REFUNDED']);
  const sequences = live.map((e) => e.sequence);
  expect(sequences.every((n) => Number.isInteger(n) && n > 0)).toBe(true);
  expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
  expect(new Set(sequences).size).toBe(sequences.length);
  await eventually(async () => (await page.locator('[data-testid="live"][data-state="live"]').count()) === 1, 'the page to be live again');
  await suite.screenshot(page, 'order-page-resumed');
}, 60_000);
