import { invalidRequest } from './stripe.errors';
import { snapshot } from './stripe.objects';
import type { StripeObject, StripeStore } from './stripe.store';

function lookup(store: StripeStore, id: string): StripeObject | undefined {
  if (id.startsWith('pi_')) return store.paymentIntents.get(id)?.obj;
  if (id.startsWith('ch_')) return store.charges.get(id)?.obj;
  if (id.startsWith('pm_')) return store.paymentMethods.get(id)?.obj;
  if (id.startsWith('re_')) return store.refunds.get(id);
  if (id.startsWith('dp_')) return store.disputes.get(id);
  if (id.startsWith('cs_')) return store.sessions.get(id)?.obj;
  return undefined;
}

function expandPath(store: StripeStore, obj: Record<string, unknown>, path: string[], index: number): void {
  const [field, ...rest] = path;
  const value = obj[field];
  if (field === 'line_items' && obj.object === 'checkout.session') {
    const items = store.sessions.get(String(obj.id))?.lineItems ?? [];
    obj.line_items = { object: 'list', data: snapshot(items), has_more: false, url: `/v1/checkout/sessions/${String(obj.id)}/line_items` };
    return;
  }
  if (value === null) return;
  const target = typeof value === 'string' ? lookup(store, value) : typeof value === 'object' ? (value as StripeObject) : undefined;
  if (!target || !(field in obj)) throw invalidRequest(`This property cannot be expanded (${path.join('.')}).`, `expand[${index}]`);
  const copy = typeof value === 'string' ? snapshot(target) : target;
  obj[field] = copy;
  if (rest.length) expandPath(store, copy, rest, index);
}

/** A response copy of `obj` with `expand[]` paths (dotted, e.g. `payment_intent.latest_charge`) replaced by objects. */
export function render(store: StripeStore, obj: StripeObject, expand: string[] = []): StripeObject {
  const out = snapshot(obj);
  expand.forEach((p, i) => expandPath(store, out, p.split('.'), i));
  return out;
}
