/**
 * The three ways to pay an existing order; used by the checkout and by "pay again" on the order page.
 * Each call is one click and sends its own Idempotency-Key, so a retried request never pays twice.
 */
import { gql, newIdempotencyKey } from './api.js';

const ORDER_BRIEF = 'id status';

/** The order page for `orderId`, with extra query parameters (never the access token). */
export function orderPageUrl(orderId, params = {}) {
  const url = new URL('/order.html', location.origin);
  url.searchParams.set('id', orderId);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

/** Stripe Checkout: create a session and go to the hosted page. */
export async function payWithStripeCheckout(orderId, token, captureMethod = 'AUTOMATIC') {
  const successUrl = `${orderPageUrl(orderId, { via: 'stripe-checkout', result: 'success' })}&session_id={CHECKOUT_SESSION_ID}`;
  const cancelUrl = orderPageUrl(orderId, { via: 'stripe-checkout', result: 'cancel' });
  const data = await gql(
    `mutation Checkout($input: CreateCheckoutSessionInput!) { createCheckoutSession(input: $input) { sessionId url order { ${ORDER_BRIEF} } } }`,
    { input: { orderId, successUrl, cancelUrl, captureMethod } },
    token,
    { idempotencyKey: newIdempotencyKey() },
  );
  location.assign(data.createCheckoutSession.url);
}

/**
 * Card token (tok_… / pm_…): charge server-to-server. Returns the ChargeResult; the caller
 * follows `nextActionUrl` for 3-D Secure or opens the order page.
 */
export async function chargeWithToken(orderId, token, cardToken, captureMethod = 'AUTOMATIC') {
  const data = await gql(
    `mutation Charge($input: ChargeWithTokenInput!) {
      chargeWithToken(input: $input) { chargeId requiresAction nextActionUrl order { ${ORDER_BRIEF} payments { status failureCode failureMessage createdAt } } }
    }`,
    // 3-D Secure sends the person back to this order's page, on the origin they are using.
    { input: { orderId, token: cardToken, returnUrl: orderPageUrl(orderId, { via: 'card' }), captureMethod } },
    token,
    { idempotencyKey: newIdempotencyKey() },
  );
  return data.chargeWithToken;
}

/** PayPal: create the PayPal order (MANUAL: intent AUTHORIZE) and go to its approval page. */
export async function payWithPayPal(orderId, token, captureMethod = 'AUTOMATIC') {
  const data = await gql(
    `mutation PayPal($input: CreatePayPalOrderInput!) { createPayPalOrder(input: $input) { paypalOrderId approveUrl order { ${ORDER_BRIEF} } } }`,
    { input: { orderId, returnUrl: orderPageUrl(orderId, { via: 'paypal' }), cancelUrl: orderPageUrl(orderId, { via: 'paypal', result: 'cancel' }), captureMethod } },
    token,
    { idempotencyKey: newIdempotencyKey() },
  );
  location.assign(data.createPayPalOrder.approveUrl);
}

/** After PayPal's return: capture (or, for an authorize-only order, authorize) the approved PayPal order, server-to-server. */
export async function capturePayPal(orderId, token) {
  const data = await gql(
    `mutation Capture($input: CapturePayPalOrderInput!) { capturePayPalOrder(input: $input) { ${ORDER_BRIEF} } }`,
    { input: { orderId } },
    token,
    { idempotencyKey: newIdempotencyKey() },
  );
  return data.capturePayPalOrder;
}

/** The newest failed payment's code and message, if the last attempt failed. */
export function lastFailure(order) {
  const failed = [...(order.payments ?? [])].sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt))).at(-1);
  return failed && failed.status === 'FAILED' ? { code: failed.failureCode, message: failed.failureMessage } : undefined;
}
