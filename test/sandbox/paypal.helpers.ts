/**
 * Test helpers for the PayPal emulator: a running sandbox reached over real
 * HTTP, an official-SDK client pointed at it, a webhook receiver, and the
 * official OpenAPI schemas compiled with ajv.
 */
import type http from 'node:http';
import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { TEST_CREDENTIALS, control, startTestSandbox, startWebhookReceiver } from '../helpers/sandbox.helpers';
import { reference } from '../helpers/reference';

/** The slice of `@paypal/checkout-server-sdk` the tests use (the package ships no types). */
export interface PayPalRequest {
  path: string;
  verb: string;
  body: unknown;
  headers: Record<string, string>;
  requestBody(body: unknown): PayPalRequest;
  prefer(value: string): PayPalRequest;
}
interface PayPalSdk {
  core: {
    PayPalEnvironment: new (id: string, secret: string, base: string, web: string) => unknown;
    PayPalHttpClient: new (env: unknown) => { execute<T = Record<string, any>>(req: PayPalRequest): Promise<{ statusCode: number; result: T; headers: Record<string, string> }> };
  };
  orders: Record<'OrdersCreateRequest', new () => PayPalRequest> & Record<'OrdersGetRequest' | 'OrdersCaptureRequest' | 'OrdersAuthorizeRequest', new (id: string) => PayPalRequest>;
  payments: Record<
    'CapturesRefundRequest' | 'CapturesGetRequest' | 'RefundsGetRequest' | 'AuthorizationsGetRequest' | 'AuthorizationsCaptureRequest' | 'AuthorizationsVoidRequest'
    | 'AuthorizationsReauthorizeRequest',
    new (id: string) => PayPalRequest
  >;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const paypal: PayPalSdk = require('@paypal/checkout-server-sdk');

/** An SDK client; HttpError rejections carry `statusCode` and the raw body in `message`. */
export type SdkClient = InstanceType<PayPalSdk['core']['PayPalHttpClient']>;

export const WEBHOOK_ID = '1JE4291016473214C';

/** A sandbox (the real core, PayPal and Stripe mounted) plus what the PayPal tests need to drive it. */
export interface TestSandbox {
  url: string;
  clientId: string;
  clientSecret: string;
  client(): SdkClient;
  control<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Resolves once no webhook delivery is pending. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * Starts the whole sandbox through the shared test helper. The SDK caches
 * tokens per client id process-wide, so each sandbox gets a fresh client id.
 */
export async function startPayPalSandbox(opts: { webhookUrl?: string; tokenTtlSeconds?: number } = {}): Promise<TestSandbox> {
  counter += 1;
  const clientId = `test-client-${process.pid}-${counter}-${Date.now()}`;
  const clientSecret = TEST_CREDENTIALS.paypalClientSecret;
  const sandbox = await startTestSandbox({
    paypal: { clientId, clientSecret, webhookId: WEBHOOK_ID, webhookUrl: opts.webhookUrl },
    paypalTokenTtlSeconds: opts.tokenTtlSeconds,
  });
  const env = new paypal.core.PayPalEnvironment(clientId, clientSecret, sandbox.url, sandbox.url);
  return {
    url: sandbox.url, clientId, clientSecret,
    client: () => new paypal.core.PayPalHttpClient(env),
    control: (method, path, body) => control(sandbox, method, `/paypal${path}`, body),
    idle: () => sandbox.idle(),
    close: () => sandbox.close(),
  };
}

/** One webhook as the receiver got it. */
export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
  event: Record<string, any>;
}

/** The shared webhook receiver, seen as PayPal events (raw bytes + parsed event). */
export async function startPayPalWebhookReceiver(): Promise<{ url: string; waitFor(type: string, count?: number): Promise<ReceivedWebhook[]>; close(): Promise<void> }> {
  const receiver = await startWebhookReceiver();
  const ofType = (type: string) => receiver.received
    .filter((hook) => hook.json.event_type === type)
    .map((hook) => ({ headers: hook.headers, raw: Buffer.from(hook.body, 'utf8'), event: hook.json }));
  return {
    url: `${receiver.url}/webhooks/paypal`,
    async waitFor(type, count = 1) {
      await receiver.waitFor(() => ofType(type).length >= count);
      return ofType(type);
    },
    close: () => receiver.close(),
  };
}

const REF_DIR = reference('paypal');
// PayPal's patterns (e.g. the e-mail one) are written for non-unicode regular expressions.
let ajv: Ajv | undefined;

/** A validator for `#/components/schemas/<name>` of one of PayPal's OpenAPI files. */
export function schemaValidator(spec: 'checkout_orders_v2' | 'payments_payment_v2' | 'notifications_webhooks_v1', name: string): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateFormats: true, unicodeRegExp: false });
    addFormats(ajv);
    for (const file of ['checkout_orders_v2', 'payments_payment_v2', 'notifications_webhooks_v1']) {
      ajv.addSchema(JSON.parse(readFileSync(`${REF_DIR}/${file}.json`, 'utf8')), file);
    }
  }
  const validate = ajv.getSchema(`${spec}#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${spec}#/components/schemas/${name}`);
  return validate;
}

/** Asserts a body matches an official schema, printing ajv's findings on failure. */
export function expectSchema(spec: Parameters<typeof schemaValidator>[0], name: string, body: unknown): void {
  const validate = schemaValidator(spec, name);
  const ok = validate(body);
  if (!ok) throw new Error(`${name} schema: ${JSON.stringify(validate.errors, null, 1)}\n${JSON.stringify(body, null, 1)}`);
}

/** Runs an SDK call expected to fail; returns status and the parsed PayPal error body. */
export async function sdkError(promise: Promise<unknown>): Promise<{ statusCode: number; body: Record<string, any> }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { statusCode: number; message: string };
    return { statusCode: e.statusCode, body: JSON.parse(e.message) };
  }
  throw new Error('expected the PayPal call to fail');
}

/** A valid one-item create-order body. */
export function orderBody(overrides: { currency?: string; unit?: string; qty?: string; total?: string; value?: string; extra?: Record<string, unknown> } = {}): Record<string, unknown> {
  const currency = overrides.currency ?? 'USD';
  const unit = overrides.unit ?? '10.00';
  const qty = overrides.qty ?? '2';
  const total = overrides.total ?? '20.00';
  return {
    intent: 'CAPTURE',
    purchase_units: [{
      reference_id: 'ord_1', custom_id: 'order-123', invoice_id: `inv-${Math.random().toString(36).slice(2)}`, description: 'Test order',
      amount: { currency_code: currency, value: overrides.value ?? total, breakdown: { item_total: { currency_code: currency, value: total } } },
      items: [{ name: 'T-shirt <b>', quantity: qty, sku: 'TSHIRT', category: 'PHYSICAL_GOODS', unit_amount: { currency_code: currency, value: unit } }],
    }],
    application_context: { return_url: 'https://shop.example.com/return?x=1', cancel_url: 'https://shop.example.com/cancel', brand_name: 'Shop', user_action: 'PAY_NOW', shipping_preference: 'NO_SHIPPING' },
    ...overrides.extra,
  };
}

/** An intent=AUTHORIZE order (20.00 USD, `orderBody()`) approved by control and authorized through the SDK: its authorization id. */
export async function sandboxAuthorization(sb: TestSandbox, client: SdkClient): Promise<string> {
  const { result } = await client.execute(new paypal.orders.OrdersCreateRequest().requestBody({ ...orderBody(), intent: 'AUTHORIZE' }));
  await sb.control('POST', `/orders/${result.id}/approve`);
  const res = await client.execute(new paypal.orders.OrdersAuthorizeRequest(result.id).prefer('return=representation').requestBody({}));
  return res.result.purchase_units[0].payments.authorizations[0].id as string;
}

/** A PayPal sandbox that posts its webhooks to a receiver, with the official SDK's client: the kit of one test file. */
export interface PayPalSandboxWithReceiver {
  sb: TestSandbox;
  client: SdkClient;
  receiver: Awaited<ReturnType<typeof startPayPalWebhookReceiver>>;
  close(): Promise<void>;
}

export async function startPayPalSandboxWithReceiver(): Promise<PayPalSandboxWithReceiver> {
  const receiver = await startPayPalWebhookReceiver();
  const sb = await startPayPalSandbox({ webhookUrl: receiver.url });
  return { sb, client: sb.client(), receiver, close: async () => { await sb.close(); await receiver.close(); } };
}
