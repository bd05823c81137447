import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A recording stand-in for api.stripe.com that answers every call at once (no latency, no state machine beyond ids). */
export interface FakeStripe {
  url: string;
  /** Calls seen, by `METHOD /path` with ids replaced by `:id`. */
  calls: Map<string, number>;
  close(): Promise<void>;
}

type StripeObject = Record<string, unknown>;

/**
 * Enough of Stripe's wire format for the payment mutations: Checkout Sessions (create, retrieve,
 * expire), PaymentMethods from tokens, PaymentIntents confirmed at once (`succeeded`), refunds (`succeeded`). The official SDK
 * talks to it, so the service runs its real provider path; only Stripe's own time is left out.
 */
export async function startFakeStripe(): Promise<FakeStripe> {
  const calls = new Map<string, number>();
  const objects = new Map<string, StripeObject>();
  let counter = 0;
  const newId = (prefix: string) => `${prefix}_bench${(++counter).toString(36)}`;
  let base = '';

  const routes: [RegExp, string, (form: URLSearchParams, match: RegExpExecArray) => StripeObject | undefined][] = [
    [/^\/v1\/checkout\/sessions$/, 'POST', (form) => {
      const id = newId('cs_test');
      return remember({
        id, object: 'checkout.session', status: 'open', payment_status: 'unpaid', mode: 'payment', url: `${base}/pay/${id}`,
        success_url: form.get('success_url'), cancel_url: form.get('cancel_url'), client_reference_id: form.get('client_reference_id'),
        metadata: metadataOf(form), currency: form.get('line_items[0][price_data][currency]'), amount_total: null, payment_intent: null,
      });
    }],
    [/^\/v1\/checkout\/sessions\/([^/]+)$/, 'GET', (_f, m) => objects.get(m[1])],
    [/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/, 'POST', (_f, m) => update(m[1], { status: 'expired' })],
    // A card token becomes a PaymentMethod first (POST /v1/payment_methods with card[token]).
    [/^\/v1\/payment_methods$/, 'POST', (form) =>
      remember({ id: newId('pm'), object: 'payment_method', type: form.get('type') ?? 'card', card: { brand: 'visa', last4: '4242' } })],
    [/^\/v1\/payment_intents$/, 'POST', (form) => {
      const amount = Number(form.get('amount'));
      return remember({
        id: newId('pi'), object: 'payment_intent', status: 'succeeded', amount, amount_received: amount, currency: form.get('currency'),
        metadata: metadataOf(form), latest_charge: newId('ch'), client_secret: null, next_action: null, last_payment_error: null,
      });
    }],
    [/^\/v1\/payment_intents\/([^/]+)$/, 'GET', (_f, m) => objects.get(m[1])],
    [/^\/v1\/payment_intents\/([^/]+)\/cancel$/, 'POST', (_f, m) => update(m[1], { status: 'canceled' })],
    [/^\/v1\/refunds$/, 'POST', (form) =>
      remember({ id: newId('re'), object: 'refund', status: 'succeeded', amount: Number(form.get('amount')), currency: 'usd', charge: form.get('charge'), payment_intent: form.get('payment_intent'), metadata: metadataOf(form) })],
  ];

  function remember(object: StripeObject): StripeObject {
    objects.set(object.id as string, object);
    return object;
  }

  function update(id: string, changes: StripeObject): StripeObject | undefined {
    const object = objects.get(id);
    return object && remember({ ...object, ...changes });
  }

  const server: Server = createServer(async (req, res) => {
    const form = new URLSearchParams(await body(req));
    const path = (req.url ?? '/').split('?')[0];
    for (const [pattern, method, handle] of routes) {
      const match = pattern.exec(path);
      if (!match || method !== req.method) continue;
      const key = `${method} ${path.replace(/\/(cs_test|pi|pm|ch|re)_[^/]+/g, '/:id')}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
      const object = handle(form, match);
      return send(res, object ? 200 : 404, object ?? { error: { type: 'invalid_request_error', message: `No such object: ${path}` } });
    }
    send(res, 404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path})` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    calls,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function metadataOf(form: URLSearchParams): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [key, value] of form) {
    const match = /^metadata\[([^\]]+)\]$/.exec(key);
    if (match) metadata[match[1]] = value;
  }
  return metadata;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function send(res: import('node:http').ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'request-id': 'req_bench' });
  res.end(text);
}
