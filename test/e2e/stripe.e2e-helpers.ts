/**
 * Helpers for the Stripe end-to-end tests: the real service with its in-process sandbox, the
 * official SDK pointed at that sandbox (to read what Stripe "saw"), and the customer's actions on
 * the sandbox's hosted pages over plain HTTP.
 */
import Stripe from 'stripe';
import { SANDBOX_DEFAULTS } from '../../src/sandbox/core/sandbox.defaults';
import { control, postForm } from '../helpers/sandbox.helpers';
import { createOrder, eventually, gql, ORDER_FIELDS, startTestService, type GqlResponse, type TestService } from '../helpers/service.helpers';

export const WEBHOOK_SECRET = SANDBOX_DEFAULTS.stripeWebhookSecret;
export const SUCCESS_URL = 'http://localhost:3000/thanks?session_id={CHECKOUT_SESSION_ID}';
export const CANCEL_URL = 'http://localhost:3000/cart';

export const CHECKOUT = `mutation($input: CreateCheckoutSessionInput!) {
  createCheckoutSession(input: $input) { sessionId url order { ${ORDER_FIELDS} } }
}`;
export const CHARGE = `mutation($input: ChargeWithTokenInput!) {
  chargeWithToken(input: $input) { chargeId requiresAction clientSecret nextActionUrl order { ${ORDER_FIELDS} } }
}`;
export const REFUND = `mutation($input: RefundOrderInput!) { refundOrder(input: $input) { id amount currency status providerRefundId } }`;
export const ORDER = `query($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;

/** The official SDK on the test service's sandbox, as a second observer of Stripe's state. */
export function sandboxStripe(ts: TestService): Stripe {
  const sandbox = ts.service.sandbox!;
  return new Stripe(SANDBOX_DEFAULTS.stripeSecretKey, { host: '127.0.0.1', port: sandbox.port, protocol: 'http', maxNetworkRetries: 0 });
}

/** A service with the Stripe sandbox on, and an official Stripe client pointed at that sandbox. */
export async function startStripeSandbox(): Promise<{ ts: TestService; stripe: Stripe }> {
  const ts = await startTestService({ SANDBOX: 'on' });
  return { ts, stripe: sandboxStripe(ts) };
}

export async function orderOf(ts: TestService, id: string): Promise<Record<string, any>> {
  const res = await gql(ts.graphqlUrl, ORDER, { id }, ts.adminKey);
  if (!res.data?.order) throw new Error(`order ${id}: ${JSON.stringify(res.errors)}`);
  return res.data.order;
}

export async function waitForStatus(ts: TestService, id: string, status: string, timeoutMs = 8000): Promise<Record<string, any>> {
  let last = '';
  return eventually(async () => {
    const order = await orderOf(ts, id);
    last = order.status;
    return order.status === status ? order : undefined;
  }, `order ${id} to become ${status} (last seen ${last})`, timeoutMs).catch((e: Error) => {
    throw new Error(`${e.message}; last status ${last}`);
  });
}

export async function newOrder(ts: TestService, items: { sku: string; quantity: number }[] = [{ sku: 'TSHIRT-BLK', quantity: 2 }]) {
  return createOrder(ts.graphqlUrl, items, 'buyer@example.com');
}

export async function checkout(ts: TestService, orderId: string, token: string): Promise<GqlResponse> {
  return gql(ts.graphqlUrl, CHECKOUT, { input: { orderId, successUrl: SUCCESS_URL, cancelUrl: CANCEL_URL } }, token);
}

export async function charge(ts: TestService, orderId: string, token: string, card: string): Promise<GqlResponse> {
  return gql(ts.graphqlUrl, CHARGE, { input: { orderId, token: card } }, token);
}

export async function refund(ts: TestService, orderId: string, amount?: number): Promise<GqlResponse> {
  return gql(ts.graphqlUrl, REFUND, { input: { orderId, ...(amount === undefined ? {} : { amount }) } }, ts.adminKey);
}

/** The customer submits the hosted Checkout form. */
export function payOnHostedPage(url: string, card = '4242424242424242', action: 'pay' | 'cancel' = 'pay'): Promise<Response> {
  return postForm(url, { email: 'buyer@example.com', card_number: card, exp: '12/34', cvc: '123', action });
}

/** Stops (or resumes) the sandbox sending Stripe webhooks to the service. */
export async function holdWebhooks(ts: TestService, hold: boolean): Promise<void> {
  const res = await control(ts.service.sandbox!, 'POST', '/webhooks/hold', { provider: 'stripe', hold });
  if (res.status !== 200) throw new Error(`hold failed: ${JSON.stringify(res.body)}`);
}

/** Resumes Stripe webhooks and sends everything held, in the order it was generated. */
export async function releaseHeldWebhooks(ts: TestService): Promise<void> {
  await holdWebhooks(ts, false);
  const res = await control(ts.service.sandbox!, 'POST', '/webhooks/release', { provider: 'stripe' });
  if (res.status !== 200) throw new Error(`release failed: ${JSON.stringify(res.body)}`);
}

/** Holds Stripe's webhooks, then creates and pays `count` orders on the hosted page; returns their ids (their events wait in the sandbox). */
export async function payWithWebhooksHeld(ts: TestService, count: number): Promise<string[]> {
  await holdWebhooks(ts, true);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { id, token } = await newOrder(ts);
    const session = (await checkout(ts, id, token)).data!.createCheckoutSession;
    const paid = await payOnHostedPage(session.url);
    if (paid.status !== 303) throw new Error(`the hosted page answered ${paid.status}, not 303`);
    ids.push(id);
  }
  return ids;
}

/** Posts one signed body `copies` times at once; returns each answer's status and inbox result. */
export async function deliverConcurrently(ts: TestService, payload: string, signature: string, copies: number): Promise<{ status: number; result: string }[]> {
  const answers = await Promise.all(Array.from({ length: copies }, () => postWebhook(ts, payload, { 'stripe-signature': signature })));
  return Promise.all(answers.map(async (a) => ({ status: a.status, result: ((await a.json()) as { result: string }).result })));
}

export interface SandboxEvent {
  eventId: string;
  eventType: string;
  body: { id: string; type: string; data: { object: Record<string, any> } };
}

/** Every Stripe event the sandbox generated so far. */
export async function sandboxEvents(ts: TestService): Promise<SandboxEvent[]> {
  return (await control<SandboxEvent[]>(ts.service.sandbox!, 'GET', '/events?provider=stripe')).body;
}

/** POSTs a body to the service's Stripe webhook route with the given headers. */
export async function postWebhook(ts: TestService, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${ts.url}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** A `Stripe-Signature` made with the SDK's own test helper. */
export function sign(stripe: Stripe, payload: string, secret: string = WEBHOOK_SECRET, timestamp?: number): string {
  return stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp === undefined ? {} : { timestamp }) });
}

/** Rows of one table, read straight from the service's database. */
export async function rows(ts: TestService, sql: string, params: unknown[] = []): Promise<Record<string, any>[]> {
  return ts.service.orm.em.getConnection().execute(sql, params);
}
