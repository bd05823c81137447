/**
 * PayPal manual capture (intent AUTHORIZE) for the end-to-end tests: an order authorized through
 * the service and the sandbox's approval page, and what the sandbox holds for it.
 */
import { createOrder, gql, webhooksSettled, type TestService } from '../helpers/service.helpers';
import { buyer, CANCEL_URL, capture, coreControl, paypalControl, RETURN_URL } from './paypal.kit';

export const CREATE_MANUAL = `mutation($input: CreatePayPalOrderInput!) { createPayPalOrder(input: $input) { paypalOrderId approveUrl order { id status } } }`;
export const CAPTURE_PAYMENT = `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { id status amount amountCaptured amountRefunded payments { status providerChargeId } } }`;
export const VOID_PAYMENT = `mutation($orderId: ID!) { voidPayment(orderId: $orderId) { id status amountCaptured payments { status failureCode } } }`;
export const AMOUNTS = `query($id: ID!) { order(id: $id) { status amount amountCaptured amountRefunded payments { status providerChargeId } events { type toStatus source } } }`;

/** Two T-shirts: 5000 minor units (USD). */
export const ITEMS = [{ sku: 'TSHIRT-BLK', quantity: 2 }];

/** A new (or the given) order with a MANUAL PayPal order opened for it (the buyer has not approved yet). */
export async function manualPayPalOrder(ts: TestService, existing?: { id: string; token: string }) {
  const order = existing ?? (await createOrder(ts.graphqlUrl, ITEMS));
  const res = await gql<{ createPayPalOrder: { paypalOrderId: string; approveUrl: string } }>(ts.graphqlUrl, CREATE_MANUAL, {
    input: { orderId: order.id, returnUrl: RETURN_URL, cancelUrl: CANCEL_URL, captureMethod: 'MANUAL' },
  }, order.token);
  if (!res.data?.createPayPalOrder) throw new Error(`createPayPalOrder failed: ${JSON.stringify(res.errors)}`);
  return { ...order, paypal: res.data.createPayPalOrder };
}

/** A MANUAL PayPal order approved by the buyer and authorized by capturePayPalOrder: the order AUTHORIZED. */
export async function authorizedPayPalOrder(ts: TestService) {
  const order = await manualPayPalOrder(ts);
  await buyer(order.paypal.approveUrl, 'approve');
  const res = await capture(ts, order.id, order.token);
  if (res.data?.capturePayPalOrder?.status !== 'AUTHORIZED') throw new Error(`authorize failed: ${JSON.stringify(res.errors ?? res.data)}`);
  return { ...order, authorized: res.data.capturePayPalOrder };
}

/** The sandbox's authorizations of one PayPal order (Payments v2 shape). */
export async function authorizationsOf(ts: TestService, paypalOrderId: string): Promise<Record<string, any>[]> {
  return (await paypalControl<{ data: Record<string, any>[] }>(ts, 'GET', `/authorizations?order_id=${paypalOrderId}`)).data;
}

/** The captures PayPal holds for one PayPal order. */
export async function capturesOf(ts: TestService, paypalOrderId: string): Promise<Record<string, any>[]> {
  const shown = await paypalControl<{ order: Record<string, any> }>(ts, 'GET', `/orders/${paypalOrderId}`);
  return shown.order.purchase_units[0].payments?.captures ?? [];
}

export function capturePayment(ts: TestService, orderId: string, amount?: number, bearer = ts.adminKey) {
  return gql<{ capturePayment: Record<string, any> }>(ts.graphqlUrl, CAPTURE_PAYMENT, { input: { orderId, ...(amount === undefined ? {} : { amount }) } }, bearer);
}

export function voidPayment(ts: TestService, orderId: string, bearer = ts.adminKey) {
  return gql<{ voidPayment: Record<string, any> }>(ts.graphqlUrl, VOID_PAYMENT, { orderId }, bearer);
}

export async function amountsOf(ts: TestService, id: string): Promise<Record<string, any>> {
  const res = await gql<{ order: Record<string, any> }>(ts.graphqlUrl, AMOUNTS, { id }, ts.adminKey);
  if (!res.data?.order) throw new Error(`order failed: ${JSON.stringify(res.errors)}`);
  return res.data.order;
}

/**
 * An authorization that lapses with nobody told: its own events applied first (a late
 * PAYMENT.AUTHORIZATION.CREATED is confirmed by reading the authorization, which would show the
 * lapse), then PayPal's webhooks held while it expires and `during` runs, then released.
 */
export async function whileLapseUnannounced(ts: TestService, order: { paypal: { paypalOrderId: string } }, during: () => Promise<void>): Promise<void> {
  const [auth] = await authorizationsOf(ts, order.paypal.paypalOrderId);
  await webhooksSettled(ts);
  await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: true });
  try {
    await paypalControl(ts, 'POST', `/authorizations/${auth.id}/expire`, {});
    await during();
  } finally {
    await coreControl(ts, 'POST', '/webhooks/hold', { provider: 'paypal', hold: false });
    await coreControl(ts, 'POST', '/webhooks/release', { provider: 'paypal' });
  }
}

export const CAPTURE_PART = `mutation($input: CapturePaymentInput!) { capturePayment(input: $input) { id status amount amountCaptured amountRefunded payments { status amountCapturable captures { id amount final } } } }`;

/** capturePayment with `finalCapture` (PayPal: false keeps the rest of the authorization capturable). */
export function capturePart(ts: TestService, orderId: string, amount: number | undefined, finalCapture?: boolean) {
  const input = { orderId, ...(amount === undefined ? {} : { amount }), ...(finalCapture === undefined ? {} : { finalCapture }) };
  return gql<{ capturePayment: Record<string, any> }>(ts.graphqlUrl, CAPTURE_PART, { input }, ts.adminKey);
}

/** The refunds PayPal holds for our order's refunds (Payments v2 shape, `supplementary_data.related_ids.capture_id` naming the capture). */
export async function refundsOf(ts: TestService, orderId: string): Promise<Record<string, any>[]> {
  const res = await gql<{ order: { refunds: { providerRefundId: string | null }[] } }>(ts.graphqlUrl, `query($id: ID!) { order(id: $id) { refunds { providerRefundId } } }`, { id: orderId }, ts.adminKey);
  const ids = res.data!.order.refunds.map((r) => r.providerRefundId).filter((id): id is string => Boolean(id));
  return Promise.all(ids.map((id) => paypalControl<Record<string, any>>(ts, 'GET', `/refunds/${id}`)));
}
