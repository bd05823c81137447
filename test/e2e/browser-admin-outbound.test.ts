/**
 * The admin page's outbound webhooks in a real browser: register an endpoint (its secret shown
 * once, and it verifies what arrives), see the deliveries of an order change, redeliver one, delete it.
 */
import { useBrowserSuite } from '../helpers/browser.helpers';
import { createOrder, eventually, gql } from '../helpers/service.helpers';
import { startTestEndpoint, type TestEndpoint } from '../helpers/webhook-endpoint.server';

const suite = useBrowserSuite();
let endpoint: TestEndpoint;

beforeAll(async () => {
  endpoint = await startTestEndpoint();
});

afterAll(async () => {
  await endpoint.close();
});

test('register an endpoint, watch its delivery arrive, redeliver it, delete the endpoint', async () => {
  const { page } = await suite.visitor();
  await page.goto(`${suite.url}/admin.html`);
  await page.fill('#admin-key', suite.ts.adminKey);
  await page.click('#unlock');
  await page.locator('#console').waitFor();

  await page.fill('[data-testid="outbound-url"]', endpoint.url);
  await page.fill('[data-testid="outbound-events"]', 'order.canceled');
  await page.click('[data-testid="outbound-form"] button[type="submit"]');
  await page.locator('[data-testid="outbound-secret"]', { hasText: 'whsec_' }).waitFor();
  const secret = (await page.locator('[data-testid="outbound-secret"]').textContent())!.trim();
  expect(secret).toMatch(/^whsec_/);
  endpoint.setSecret(secret);
  await page.locator('[data-testid="endpoint-row"]', { hasText: endpoint.url }).waitFor();

  const { id, token } = await createOrder(suite.ts.graphqlUrl, [{ sku: 'MUG-WHT', quantity: 1 }]);
  expect((await gql(suite.ts.graphqlUrl, `mutation($id: ID!) { cancelOrder(orderId: $id) { id } }`, { id }, token)).errors).toBeUndefined();
  const delivered = page.locator('[data-testid="delivery-row"][data-status="DELIVERED"]', { hasText: id });
  await eventually(async () => {
    await page.click('#outbound-refresh');
    return (await delivered.count()) === 1;
  }, 'the delivery to show as DELIVERED', 10_000);
  expect(endpoint.received).toHaveLength(1);
  expect(endpoint.received[0].verified).toBe(true);
  await suite.screenshot(page, 'admin-outbound-webhooks');

  await delivered.locator('[data-testid="redeliver"]').click();
  await page.locator('#outbound-message', { hasText: 'Sent again' }).waitFor();
  await eventually(async () => endpoint.received.length === 2, 'the redelivery to arrive', 10_000);
  expect(endpoint.received[1]).toMatchObject({ id: endpoint.received[0].id, verified: true });
  await eventually(async () => {
    await page.click('#outbound-refresh');
    return (await page.locator('[data-testid="delivery-row"][data-status="DELIVERED"]', { hasText: id }).count()) === 2;
  }, 'both deliveries to show as DELIVERED', 10_000);

  await page.locator('[data-testid="endpoint-row"]', { hasText: endpoint.url }).locator('[data-testid="delete-endpoint"]').click();
  await page.locator('#outbound-message', { hasText: 'Endpoint deleted' }).waitFor();
  await page.locator('[data-testid="endpoint-row"]').waitFor({ state: 'detached' });
  await page.locator('[data-testid="delivery-row"]').first().waitFor({ state: 'detached' });
});
