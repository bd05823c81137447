/**
 * Helpers for the PayPal end-to-end tests: the real service with its in-process sandbox, driven
 * over HTTP exactly as a shop frontend, a buyer's browser and PayPal's webhooks would.
 */
import { SANDBOX_DEFAULTS } from '../../src/sandbox/core/sandbox.defaults';
import { signWebhook } from '../../src/sandbox/paypal/paypal.signing';
import { ORDER_FIELDS, createOrder, gql, startTestService, webhooksSettled, type GqlResponse, type TestService } from '../helpers/service.helpers';
import { control, postForm } from '../helpers/sandbox.helpers';

export const RETURN_URL = 'http://localhost:3000/paypal/return?cart=1';
export const CANCEL_URL = 'http://localhost:3000/paypal/cancel';

export const CREATE = `mutation($input: CreatePayPalOrderInput!) { createPayPalOrder(input: $input) { paypalOrderId approveUrl order { ${ORDER_FIELDS} } } }`;
export const CAPTURE = `mutation($input: CapturePayPalOrderInput!) { capturePayPalOrder(input: $input) { ${ORDER_FIELDS} } }`;
export const REFUND = `mutation($input: RefundOrderInput!) { refundOrder(input: $input) { id amount currency status providerRefundId } }`;
export const ORDER = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;

export interface PayPalOrderView {
  paypalOrderId: string;
  approveUrl: string;
  order: Record<string, any>;
}

/** The service with PayPal on its built-in sandbox (no keys), plus extra environment. */
export function startPayPalService(env: Record<string, string> = {}): Promise<TestService> {
  return startTestService({ SANDBOX: 'auto', ...env });
}

export function sandboxOf(ts: TestService): { url: string } {
  if (!ts.service.sandbox) throw new Error('the service runs without its sandbox');
  return ts.service.sandbox;
}

/** GET/POST a `/__sandbox/paypal/…` control. */
export async function paypalControl<T = any>(ts: TestService, method: string, path: string, body?: unknown): Promise<T> {
  const res = await control<T>(sandboxOf(ts), method, `/paypal${path}`, body);
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** `/__sandbox/faults` etc. */
export async function coreControl<T = any>(ts: TestService, method: string, path: string, body?: unknown): Promise<T> {
  const res = await control<T>(sandboxOf(ts), method, path, body);
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function stats(ts: TestService): Promise<{ tokensIssued: number; orders: number; captures: number; refunds: number; events: number }> {
  return paypalControl(ts, 'GET', '/stats');
}

/** A new order of `items` with a PayPal order opened for it. */
export async function orderWithPayPal(ts: TestService, items = [{ sku: 'TSHIRT-BLK', quantity: 2 }]) {
  const order = await createOrder(ts.graphqlUrl, items);
  const res = await gql<{ createPayPalOrder: PayPalOrderView }>(ts.graphqlUrl, CREATE, { input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: CANCEL_URL } }, order.token);
  if (!res.data?.createPayPalOrder) throw new Error(`createPayPalOrder failed: ${JSON.stringify(res.errors)}`);
  return { ...order, paypal: res.data.createPayPalOrder };
}

/** The buyer presses a button on PayPal's approval page; returns where the browser is sent. */
export async function buyer(approveUrl: string, action: 'approve' | 'cancel'): Promise<URL> {
  const page = await fetch(approveUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = /<form method="post" action="([^"]+)"/.exec(html);
  const token = /name="token" value="([^"]+)"/.exec(html);
  if (!form || !token) throw new Error(`no approval form on ${approveUrl}`);
  const res = await postForm(new URL(form[1].replace(/&amp;/g, '&'), approveUrl).toString(), { token: token[1], action });
  expect(res.status).toBe(303);
  return new URL(res.headers.get('location') as string);
}

export function capture(ts: TestService, orderId: string, token: string, headers: Record<string, string> = {}): Promise<GqlResponse<{ capturePayPalOrder: Record<string, any> }>> {
  return gql(ts.graphqlUrl, CAPTURE, { input: { orderId } }, token, headers);
}

export async function getOrder(ts: TestService, id: string): Promise<Record<string, any>> {
  const res = await gql<{ order: Record<string, any> }>(ts.graphqlUrl, ORDER, { id }, ts.adminKey);
  if (!res.data?.order) throw new Error(`order failed: ${JSON.stringify(res.errors)}`);
  return res.data.order;
}

/** An approved and captured (PAID) PayPal order. */
export async function paidOrder(ts: TestService, items = [{ sku: 'TSHIRT-BLK', quantity: 2 }]) {
  const order = await orderWithPayPal(ts, items);
  await buyer(order.paypal.approveUrl, 'approve');
  const res = await capture(ts, order.id, order.token);
  if (res.data?.capturePayPalOrder?.status !== 'PAID') throw new Error(`capture failed: ${JSON.stringify(res.errors ?? res.data)}`);
  return { ...order, captured: res.data.capturePayPalOrder };
}

/** Signs `body` as the sandbox (PayPal) does, with the sandbox's certificate URL and our webhook id. */
export async function sandboxSignature(ts: TestService, body: string, overrides: { webhookId?: string; certUrl?: string } = {}): Promise<Record<string, string>> {
  const cert = await paypalControl<{ certUrl: string; webhookId: string }>(ts, 'GET', '/cert');
  return signWebhook(body, overrides.webhookId ?? cert.webhookId, overrides.certUrl ?? cert.certUrl);
}

/** POSTs a webhook delivery to the service's `/webhooks/paypal`. */
export async function postWebhook(ts: TestService, body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${ts.url}/webhooks/paypal`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

/** Every event the sandbox emitted, with the exact bytes it posted. */
export async function sandboxEvents(ts: TestService): Promise<{ id: string; eventType: string; body: string }[]> {
  return (await paypalControl<{ data: { id: string; eventType: string; body: string }[] }>(ts, 'GET', '/events')).data;
}

export { webhooksSettled };

/**
 * Captures a PayPal order straight at the sandbox's REST API, as a stray client would (another
 * deployment, a support tool): the service is not asked, so only its webhook hears of it.
 */
export function strayCapture(ts: TestService, paypalOrderId: string): Promise<{ status: number; body: Record<string, any> }> {
  return strayCall(ts, `/v2/checkout/orders/${paypalOrderId}/capture`, {});
}

/** POSTs to the sandbox's PayPal REST API with the service's credentials, behind the service's back (e.g. a reauthorize). */
export async function strayCall(ts: TestService, path: string, body: unknown): Promise<{ status: number; body: Record<string, any> }> {
  const base = sandboxOf(ts).url;
  const basic = Buffer.from(`${SANDBOX_DEFAULTS.paypalClientId}:${SANDBOX_DEFAULTS.paypalClientSecret}`).toString('base64');
  const token = await fetch(`${base}/v1/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', prefer: 'return=representation' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
