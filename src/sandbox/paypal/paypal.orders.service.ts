import type { SandboxContext } from '../core/sandbox.types';
import { notFound, unprocessable, PayPalApiError } from './paypal.errors';
import { payerId, paypalTime, resourceId } from './paypal.ids';
import { mockError } from './paypal.mock-codes';
import { fromMinor, paypalFee } from './paypal.money';
import type { CreateOrderInput } from './paypal.order-request';
import type { CaptureRecord, OrderRecord, PayerRecord, PayPalState } from './paypal.state';
import { approveUrl, captureView, orderView } from './paypal.views';
import { emitEvent } from './paypal.webhooks';

/**
 * 422 ACTION_DOES_NOT_MATCH_INTENT: the spec documents it for authorizing a CAPTURE order; capturing
 * an AUTHORIZE order is refused the same way (inferred: the capture call's error list omits it).
 */
export function intentMismatch(intent: 'CAPTURE' | 'AUTHORIZE'): PayPalApiError {
  const [other, use] = intent === 'CAPTURE' ? ['CAPTURE', 'capture'] : ['AUTHORIZE', 'authorize'];
  return unprocessable('orders', 'ACTION_DOES_NOT_MATCH_INTENT',
    `Order was created with an intent to '${other}'. Please use v2/checkout/orders/order_id/${use} to complete the transaction or alternately Create an order with an intent of '${other === 'CAPTURE' ? 'AUTHORIZE' : 'CAPTURE'}'.`);
}

/** The merchant every sandbox order pays (PayPal fills `payee` with the API caller). */
const PAYEE = { email_address: 'merchant@sandbox.example.com', merchant_id: 'SANDBXMERCH2Z' };

/** The sandbox's one buyer account, used unless a control supplies another. */
export const DEFAULT_PAYER: Omit<PayerRecord, 'payer_id'> = {
  email_address: 'buyer@sandbox.example.com',
  name: { given_name: 'John', surname: 'Doe' },
  address: { country_code: 'US' },
};

/**
 * Order life cycle of the emulator: create → (buyer approves) → capture.
 * Statuses, refusals and webhooks follow Orders v2; routes and controls
 * call into this and only render the results.
 */
export class OrdersService {
  constructor(private readonly ctx: SandboxContext, private readonly state: PayPalState) {}

  /** Looks an order up or throws PayPal's 404. */
  get(id: string): OrderRecord {
    const order = this.state.orders.get(id);
    if (!order) throw notFound('orders', 'order_id', id);
    return order;
  }

  /** Looks an order up; undefined when unknown (pages and controls answer in their own shape). */
  tryGet(id: string): OrderRecord | undefined {
    return this.state.orders.get(id);
  }

  /** Creates an order from a validated request. */
  create(input: CreateOrderInput): OrderRecord {
    const now = paypalTime();
    const order: OrderRecord = {
      id: resourceId(), intent: input.intent, createTime: now, updateTime: now,
      // PayPal: payment_source.paypal with an experience context → the buyer must act first.
      status: input.paymentSourcePaypal ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
      currency: input.currency, amountMinor: input.amountMinor,
      purchaseUnit: { ...input.purchaseUnit, payee: PAYEE },
      returnUrl: input.returnUrl, cancelUrl: input.cancelUrl, brandName: input.brandName,
      paymentSourcePaypal: input.paymentSourcePaypal, captureIds: [], authorizationIds: [], instrumentDeclined: false,
    };
    this.state.orders.set(order.id, order);
    return order;
  }

  /** True while the hosted page may still approve the order. */
  approvable(order: OrderRecord): boolean {
    return order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED' || order.status === 'APPROVED';
  }

  /** The buyer approves: status APPROVED, a payer, `CHECKOUT.ORDER.APPROVED`. */
  approve(order: OrderRecord, payer: Partial<PayerRecord> = {}): OrderRecord {
    if (!this.approvable(order)) throw unprocessable('orders', 'ORDER_ALREADY_CAPTURED', `Order is ${order.status} and can no longer be approved.`);
    order.payer = { ...DEFAULT_PAYER, ...order.payer, ...payer, payer_id: payer.payer_id ?? order.payer?.payer_id ?? payerId() };
    order.status = 'APPROVED';
    order.instrumentDeclined = false;
    order.updateTime = paypalTime();
    emitEvent(this.ctx, this.state, 'CHECKOUT.ORDER.APPROVED', 'checkout-order', 'An order has been approved by buyer',
      orderView(this.ctx.baseUrl(), order, []));
    return order;
  }

  /** Captures an approved order; `mockCode` is a negative-testing code from the header or a control. */
  capture(order: OrderRecord, headerMockCode: string | undefined): CaptureRecord {
    const mockCode = headerMockCode ?? order.armedMockCode;
    order.armedMockCode = undefined;
    const redirect = approveUrl(this.ctx.baseUrl(), order.id);
    if (mockCode !== undefined) {
      if (mockCode === 'INSTRUMENT_DECLINED') order.instrumentDeclined = true;
      throw mockError('capture', mockCode, 'orders', redirect);
    }
    if (order.intent === 'AUTHORIZE') throw intentMismatch('AUTHORIZE');
    if (order.status === 'COMPLETED') throw mockError('capture', 'ORDER_ALREADY_CAPTURED', 'orders');
    if (order.status !== 'APPROVED') throw mockError('capture', 'ORDER_NOT_APPROVED', 'orders');
    // Capturing again without the buyer choosing another instrument fails the same way.
    if (order.instrumentDeclined) throw mockError('capture', 'INSTRUMENT_DECLINED', 'orders', redirect);
    return this.recordCapture(order);
  }

  private recordCapture(order: OrderRecord): CaptureRecord {
    const now = paypalTime();
    const outcome = order.nextCapture;
    order.nextCapture = undefined;
    const capture: CaptureRecord = {
      id: resourceId(), orderId: order.id, currency: order.currency, amountMinor: order.amountMinor,
      status: outcome ?? 'COMPLETED', statusReason: outcome === 'PENDING' ? 'PENDING_REVIEW' : undefined,
      feeMinor: paypalFee(order.amountMinor), refundedMinor: 0n, refundIds: [],
      customId: order.purchaseUnit.custom_id, invoiceId: order.purchaseUnit.invoice_id, createTime: now, updateTime: now,
    };
    this.state.captures.set(capture.id, capture);
    order.captureIds.push(capture.id);
    order.status = 'COMPLETED';
    order.updateTime = now;
    const amount = `${fromMinor(capture.amountMinor, capture.currency)} ${capture.currency}`;
    const events: Record<string, [string, string]> = {
      COMPLETED: ['PAYMENT.CAPTURE.COMPLETED', `Payment completed for ${amount}`],
      PENDING: ['PAYMENT.CAPTURE.PENDING', `Payment pending for ${amount}`],
      DECLINED: ['PAYMENT.CAPTURE.DENIED', `Payment denied for ${amount}`],
    };
    const [type, summary] = events[capture.status];
    emitEvent(this.ctx, this.state, type, 'capture', summary, captureView(this.ctx.baseUrl(), capture, true));
    return capture;
  }

  /** Captures of an order, in creation order. */
  capturesOf(order: OrderRecord): CaptureRecord[] {
    return order.captureIds.map((id) => {
      const capture = this.state.captures.get(id);
      if (!capture) throw new PayPalApiError(500, [], 'orders');
      return capture;
    });
  }
}
