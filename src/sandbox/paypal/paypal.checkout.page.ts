import express, { Router, type Request, type Response } from 'express';
import type { OrdersService } from './paypal.orders.service';
import type { OrderRecord } from './paypal.state';

/** Escapes text for HTML element and attribute content. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} – PayPal (provider sandbox)</title></head>
<body><h1>${escapeHtml(title)}</h1>
<p><em>Provider sandbox — no real PayPal account is involved.</em></p>
${body}</body></html>`;
}

function orderPage(order: OrderRecord): string {
  const unit = order.purchaseUnit;
  const amount = unit.amount as { currency_code: string; value: string };
  const items = (unit.items ?? []).map((item) => {
    const unitAmount = item.unit_amount as { value: string; currency_code: string } | undefined;
    return `<tr><td>${escapeHtml(item.name)}</td><td>${escapeHtml(item.quantity)}</td><td>${escapeHtml(unitAmount?.value)} ${escapeHtml(unitAmount?.currency_code)}</td></tr>`;
  }).join('');
  return page('Pay with PayPal', `
<p>Pay to: <strong>${escapeHtml(order.brandName ?? unit.payee.email_address)}</strong></p>
${unit.description ? `<p>${escapeHtml(unit.description)}</p>` : ''}
${items ? `<table><thead><tr><th>Item</th><th>Qty</th><th>Unit price</th></tr></thead><tbody>${items}</tbody></table>` : ''}
<p>Total: <strong id="total">${escapeHtml(amount.value)} ${escapeHtml(amount.currency_code)}</strong></p>
<form method="post" action="/paypal/checkoutnow?token=${encodeURIComponent(order.id)}">
<input type="hidden" name="token" value="${escapeHtml(order.id)}">
<button type="submit" name="action" value="approve">Pay now</button>
<button type="submit" name="action" value="cancel">Cancel and return to merchant</button>
</form>`);
}

/** Adds query parameters to a merchant URL, keeping the ones it already has. */
function withQuery(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  return target.toString();
}

/**
 * The hosted approval page at the order's `approve` / `payer-action` link:
 * plain HTML, no script, so browsers and `curl -d action=approve` both work.
 */
export function createCheckoutPageRouter(orders: OrdersService): Router {
  const router = Router();
  const find = (req: Request): OrderRecord | undefined => {
    const token = (req.query.token ?? (req.body as Record<string, unknown> | undefined)?.token) as unknown;
    return typeof token === 'string' ? orders.tryGet(token) : undefined;
  };
  const refuse = (res: Response, order: OrderRecord | undefined): void => {
    if (!order) {
      res.status(404).type('html').send(page('Order not found', '<p>This PayPal checkout link is not valid: the order does not exist.</p>'));
    } else {
      res.status(409).type('html').send(page('Order already completed', `<p>Order ${escapeHtml(order.id)} is ${escapeHtml(order.status)} and can no longer be paid.</p>`));
    }
  };

  router.get('/paypal/checkoutnow', (req: Request, res: Response) => {
    const order = find(req);
    if (!order || !orders.approvable(order)) return refuse(res, order);
    res.status(200).type('html').send(orderPage(order));
  });

  router.post('/paypal/checkoutnow', express.urlencoded({ extended: false }), (req: Request, res: Response) => {
    const order = find(req);
    if (!order || !orders.approvable(order)) return refuse(res, order);
    const action = (req.body as Record<string, unknown> | undefined)?.action;
    if (action === 'approve') {
      orders.approve(order);
      if (!order.returnUrl) {
        res.status(200).type('html').send(page('Payment approved', `<p>Order ${escapeHtml(order.id)} approved. The merchant gave no return_url, so you can close this page.</p>`));
        return;
      }
      res.redirect(303, withQuery(order.returnUrl, { token: order.id, PayerID: order.payer?.payer_id ?? '' }));
      return;
    }
    if (action === 'cancel') {
      if (!order.cancelUrl) {
        res.status(200).type('html').send(page('Payment canceled', '<p>You canceled. The merchant gave no cancel_url, so you can close this page.</p>'));
        return;
      }
      res.redirect(303, withQuery(order.cancelUrl, { token: order.id }));
      return;
    }
    res.status(400).type('html').send(page('Choose an action', `<p>Unknown action ${escapeHtml(action)}: use approve or cancel.</p><p><a href="/paypal/checkoutnow?token=${encodeURIComponent(order.id)}">Back to the order</a></p>`));
  });
  return router;
}
