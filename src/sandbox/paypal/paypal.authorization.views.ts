import { money } from './paypal.money';
import type { AuthorizationRecord } from './paypal.state';

type Json = Record<string, unknown>;

/**
 * An authorization in the Payments v2 `authorization-2` shape (also embedded in orders as
 * `payments.authorizations[]`); `supplementary_data.related_ids.order_id` only outside an order.
 * Links follow its status: capture/void/reauthorize only while it can still be captured.
 */
export function authorizationView(base: string, auth: AuthorizationRecord, withRelatedIds: boolean): Json {
  const self = `${base}/v2/payments/authorizations/${auth.id}`;
  const view: Json = { id: auth.id, status: auth.status, amount: money(auth.amountMinor, auth.currency) };
  if (auth.invoiceId !== undefined) view.invoice_id = auth.invoiceId;
  if (auth.customId !== undefined) view.custom_id = auth.customId;
  view.seller_protection = { status: 'ELIGIBLE', dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'] };
  view.expiration_time = auth.expirationTime;
  if (withRelatedIds) view.supplementary_data = { related_ids: { order_id: auth.orderId } };
  const links: Json[] = [{ href: self, rel: 'self', method: 'GET' }];
  if (auth.status === 'CREATED' || auth.status === 'PARTIALLY_CAPTURED') {
    links.push({ href: `${self}/capture`, rel: 'capture', method: 'POST' }, { href: `${self}/void`, rel: 'void', method: 'POST' });
  }
  // A reauthorization cannot itself be reauthorized (REAUTHORIZATION_NOT_SUPPORTED).
  if (auth.status === 'CREATED' && !auth.reauthorizationOf) links.push({ href: `${self}/reauthorize`, rel: 'reauthorize', method: 'POST' });
  links.push({ href: `${base}/v2/checkout/orders/${auth.orderId}`, rel: 'up', method: 'GET' });
  view.links = links;
  view.create_time = auth.createTime;
  view.update_time = auth.updateTime;
  return view;
}
