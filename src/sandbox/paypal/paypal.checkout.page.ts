import express, { Router, type Request, type Response } from 'express';
import { esc as escapeHtml } from '../pages/html';
import { paypalApprovalPage as orderPage, paypalMessagePage as page } from '../pages/paypal-approval.view';
import type { OrdersService } from './paypal.orders.service';
import type { OrderRecord } from './paypal.state';

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
