import type { RequestHandler } from 'express';

const STRIPE_API = [
  'POST /v1/payment_methods', 'POST /v1/payment_intents', 'GET /v1/payment_intents/:id', 'POST /v1/payment_intents/:id/cancel',
  'POST /v1/checkout/sessions', 'GET /v1/checkout/sessions/:id', 'POST /v1/checkout/sessions/:id/expire',
  'POST /v1/refunds', 'GET /v1/refunds/:id', 'POST /v1/charges',
];
const PAYPAL_API = [
  'POST /v1/oauth2/token', 'POST /v2/checkout/orders', 'GET /v2/checkout/orders/:id', 'POST /v2/checkout/orders/:id/capture',
  'GET /v2/payments/captures/:id', 'POST /v2/payments/captures/:id/refund', 'GET /v2/payments/refunds/:id',
  'POST /v2/checkout/orders/:id/authorize', 'GET /v2/payments/authorizations/:id', 'POST /v2/payments/authorizations/:id/capture',
  'POST /v2/payments/authorizations/:id/void', 'POST /v2/payments/authorizations/:id/reauthorize',
  'POST /v1/notifications/verify-webhook-signature',
];
const PAGES = [
  ['GET /stripe/checkout/pay/:session', 'Stripe Checkout: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined'],
  ['GET /stripe/3ds/:payment_intent', '3-D Secure: Complete or Fail'],
  ['GET /paypal/checkoutnow?token=:order', 'PayPal approval: Approve or Cancel'],
];
/** [method, path, JSON body example, what it does] */
const CONTROLS: [string, string, string, string][] = [
  ['POST', '/__sandbox/stripe/disputes', '{"payment_intent":"pi_…","reason":"fraudulent"}', 'open a Stripe dispute (charge.dispute.created)'],
  ['POST', '/__sandbox/stripe/disputes/:id/close', '{"status":"won"}', 'close it: won, lost or warning_closed'],
  ['POST', '/__sandbox/stripe/checkout/sessions/:id/expire', '{}', 'expire a Checkout Session now (checkout.session.expired)'],
  ['POST', '/__sandbox/paypal/disputes', '{"capture_id":"…"}', 'open a PayPal dispute (CUSTOMER.DISPUTE.CREATED)'],
  ['POST', '/__sandbox/paypal/disputes/:id/resolve', '{"outcome":"RESOLVED_BUYER_FAVOUR"}', 'resolve it (CUSTOMER.DISPUTE.RESOLVED)'],
  ['POST', '/__sandbox/paypal/orders/:id/next-capture', '{"status":"PENDING"}', 'make the next PayPal capture PENDING or DECLINED'],
  ['POST', '/__sandbox/paypal/captures/:id/deny', '{}', 'deny a pending PayPal capture'],
  ['POST', '/__sandbox/stripe/payment_intents/:id/expire_authorization', '{}', 'let a manual-capture authorization lapse now (payment_intent.canceled)'],
  ['POST', '/__sandbox/paypal/authorizations/:id/expire', '{}', 'let a PayPal authorization lapse now (PAYMENT.AUTHORIZATION.VOIDED)'],
  ['POST', '/__sandbox/paypal/authorizations/:id/end-honor-period', '{}', 'end a PayPal authorization’s 3-day honor period now (reauthorize allowed; captures still work until expiry)'],
  ['POST', '/__sandbox/faults', '{"provider":"stripe","kind":"status","status":500,"count":1,"match":"POST /v1/refunds"}', 'make the next matching call answer 5xx/429 (kind status), wait (latency) or hang (timeout)'],
  ['DELETE', '/__sandbox/faults', '{}', 'clear every fault'],
  ['POST', '/__sandbox/webhooks/hold', '{"provider":"stripe","hold":true}', 'hold webhooks back'],
  ['POST', '/__sandbox/webhooks/release', '{"provider":"stripe"}', 'deliver the held webhooks (optionally reordered or duplicated)'],
  ['POST', '/__sandbox/webhooks/redeliver', '{"eventId":"evt_…"}', 'deliver an event again'],
  ['GET', '/__sandbox/events', '', 'every event the sandbox emitted'],
  ['GET', '/__sandbox/deliveries', '', 'every webhook delivery and its answer'],
];

const esc = (v: string) => v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const list = (items: string[]) => `<ul>${items.map((i) => `<li><code>${esc(i)}</code></li>`).join('')}</ul>`;

/**
 * `GET /` on the sandbox: what it emulates and how to drive it, instead of "Cannot GET /".
 * Script-free HTML; the curl lines use the address the browser asked for.
 */
export function sandboxIndex(): RequestHandler {
  return (req, res) => {
    const base = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const controls = CONTROLS.map(([method, path, body, what]) => {
      const curl = `curl -s -X ${method} ${base}${path}${body ? ` -H 'content-type: application/json' -d '${body}'` : ''}`;
      return `<tr><td><code>${esc(`${method} ${path}`)}</code></td><td>${esc(what)}</td><td><code>${esc(curl)}</code></td></tr>`;
    }).join('');
    res.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Provider sandbox</title>
<style>body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;color:#1a1f36}
code{font-size:.85em;word-break:break-all}td{vertical-align:top;padding:.3rem .5rem;border-top:1px solid #e3e8ee}
.badge{display:inline-block;background:#ffde92;color:#5c3b00;border-radius:4px;padding:.1rem .5rem;font-weight:600}</style>
</head><body>
<h1>Provider sandbox <span class="badge">SANDBOX</span></h1>
<p>An offline Stripe and PayPal for development and tests: the official SDKs talk to it over HTTP, with the
real wire formats, and it signs and sends webhooks like the providers do. No real payment is ever made.</p>
<h2>Stripe API (secret key <code>sk_test_…</code>)</h2>${list(STRIPE_API)}
<h2>PayPal REST API (OAuth client credentials)</h2>${list(PAYPAL_API)}
<h2>Hosted pages</h2><ul>${PAGES.map(([p, w]) => `<li><code>${esc(p)}</code>: ${esc(w)}</li>`).join('')}</ul>
<h2>Test controls</h2>
<p>They take <code>application/json</code> bodies only, so a web page cannot drive them.</p>
<table><thead><tr><th>control</th><th>what it does</th><th>try it</th></tr></thead><tbody>${controls}</tbody></table>
</body></html>`);
  };
}
