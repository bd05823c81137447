import type { SandboxContext } from '../core/sandbox.types';
import { notFound, unprocessable } from './paypal.errors';
import { disputeId, paypalTime, resourceId } from './paypal.ids';
import { mockError } from './paypal.mock-codes';
import { fromMinor, money } from './paypal.money';
import type { RefundInput } from './paypal.refund-request';
import type { CaptureRecord, PayPalState, RefundRecord } from './paypal.state';
import { captureView, refundView } from './paypal.views';
import { emitEvent } from './paypal.webhooks';

/** `dispute_outcome.outcome_code` values of PayPal's Disputes API. */
export const DISPUTE_OUTCOME_CODES = ['RESOLVED_BUYER_FAVOUR', 'RESOLVED_SELLER_FAVOUR', 'RESOLVED_WITH_PAYOUT', 'CANCELED_BY_BUYER', 'ACCEPTED', 'DENIED', 'NONE'] as const;
export type DisputeOutcomeCode = (typeof DISPUTE_OUTCOME_CODES)[number];

/**
 * Captures after the fact: refunds, and the sandbox-only transitions a
 * real account would see later (pending → completed/denied, reversal,
 * dispute), each with the webhook PayPal sends for it.
 */
export class PaymentsService {
  constructor(private readonly ctx: SandboxContext, private readonly state: PayPalState) {}

  /** Looks a capture up or throws PayPal's 404. */
  capture(id: string): CaptureRecord {
    const capture = this.state.captures.get(id);
    if (!capture) throw notFound('payments', 'capture_id', id);
    return capture;
  }

  /** Looks a refund up or throws PayPal's 404. */
  refund(id: string): RefundRecord {
    const refund = this.state.refunds.get(id);
    if (!refund) throw notFound('payments', 'refund_id', id);
    return refund;
  }

  /** Every refund of an order's captures, oldest first (Orders v2 lists them under `payments.refunds`). */
  refundsOfOrder(orderId: string): RefundRecord[] {
    return [...this.state.refunds.values()].filter((r) => r.orderId === orderId);
  }

  /** Refunds part or all of what is left on a capture (`PAYMENT.CAPTURE.REFUNDED`). */
  refundCapture(capture: CaptureRecord, input: RefundInput, mockCode?: string, reversal = false): RefundRecord {
    if (mockCode !== undefined) throw mockError('refund', mockCode, 'payments');
    if (capture.status === 'PENDING') throw mockError('refund', 'PENDING_CAPTURE', 'payments');
    if (capture.status === 'DECLINED' || capture.status === 'FAILED') throw mockError('refund', 'REFUND_NOT_ALLOWED', 'payments');
    const left = capture.amountMinor - capture.refundedMinor;
    if (left <= 0n) throw mockError('refund', 'CAPTURE_FULLY_REFUNDED', 'payments');
    const amount = input.amountMinor ?? left;
    if (amount > left) {
      throw unprocessable('payments', 'REFUND_AMOUNT_EXCEEDED', 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
        { field: '/amount/value', value: fromMinor(amount, capture.currency), location: 'body' });
    }
    const now = paypalTime();
    capture.refundedMinor += amount;
    capture.status = capture.refundedMinor === capture.amountMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    capture.updateTime = now;
    const refund: RefundRecord = {
      id: resourceId(), captureId: capture.id, orderId: capture.orderId, currency: capture.currency, amountMinor: amount,
      // The fee is returned pro rata, so the sum of refund fees never exceeds the capture fee.
      feeMinor: (capture.feeMinor * amount) / capture.amountMinor, totalRefundedMinor: capture.refundedMinor,
      // Unless the caller gives new ones, the refund carries the capture's references (what webhooks consumers match on).
      invoiceId: input.invoiceId ?? capture.invoiceId, customId: input.customId ?? capture.customId,
      noteToPayer: input.noteToPayer, createTime: now, updateTime: now,
    };
    this.state.refunds.set(refund.id, refund);
    capture.refundIds.push(refund.id);
    const value = `${fromMinor(amount, capture.currency)} ${capture.currency}`;
    emitEvent(this.ctx, this.state, reversal ? 'PAYMENT.CAPTURE.REVERSED' : 'PAYMENT.CAPTURE.REFUNDED', 'refund',
      reversal ? `A ${value} capture payment was reversed` : `A ${value} capture payment was refunded`,
      refundView(this.ctx.baseUrl(), refund, true));
    return refund;
  }

  /** Sandbox control: a PENDING capture clears (`PAYMENT.CAPTURE.COMPLETED`) or is denied (`PAYMENT.CAPTURE.DENIED`). */
  settlePending(capture: CaptureRecord, outcome: 'COMPLETED' | 'DECLINED'): CaptureRecord {
    if (capture.status !== 'PENDING') {
      throw unprocessable('payments', 'CAPTURE_NOT_PENDING', `Capture is ${capture.status}; only a PENDING capture can be settled (sandbox control).`);
    }
    capture.status = outcome;
    capture.statusReason = undefined;
    capture.updateTime = paypalTime();
    const value = `${fromMinor(capture.amountMinor, capture.currency)} ${capture.currency}`;
    const [type, summary] = outcome === 'COMPLETED' ? ['PAYMENT.CAPTURE.COMPLETED', `Payment completed for ${value}`] : ['PAYMENT.CAPTURE.DENIED', `Payment denied for ${value}`];
    emitEvent(this.ctx, this.state, type, 'capture', summary, captureView(this.ctx.baseUrl(), capture, true));
    return capture;
  }

  /** Sandbox control: the buyer's bank reverses what is left (`PAYMENT.CAPTURE.REVERSED`). */
  reverse(capture: CaptureRecord): RefundRecord {
    return this.refundCapture(capture, { noteToPayer: 'Payment reversed' }, undefined, true);
  }

  /** Sandbox control: the buyer opens a dispute (`CUSTOMER.DISPUTE.CREATED`); returns the dispute resource. */
  openDispute(capture: CaptureRecord, reason = 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED', amountMinor?: bigint): Record<string, unknown> {
    const now = paypalTime();
    const id = disputeId();
    const disputed = money(amountMinor ?? capture.amountMinor - capture.refundedMinor, capture.currency);
    const resource: Record<string, unknown> = {
      dispute_id: id, create_time: now, update_time: now,
      disputed_transactions: [{
        seller_transaction_id: capture.id, create_time: capture.createTime, transaction_status: 'COMPLETED',
        gross_amount: money(capture.amountMinor, capture.currency), invoice_number: capture.invoiceId, custom: capture.customId,
        seller: { merchant_id: 'SANDBXMERCH2Z' },
      }],
      reason, status: 'OPEN', dispute_amount: disputed,
      dispute_life_cycle_stage: 'INQUIRY', dispute_channel: 'INTERNAL',
      links: [{ href: `${this.ctx.baseUrl()}/v1/customer/disputes/${id}`, rel: 'self', method: 'GET' }],
    };
    this.state.disputes.set(id, resource);
    emitEvent(this.ctx, this.state, 'CUSTOMER.DISPUTE.CREATED', 'dispute', `A new dispute opened with Case # ${id}`, resource);
    return resource;
  }

  /**
   * Sandbox control: PayPal decides an open dispute (`CUSTOMER.DISPUTE.RESOLVED`), with the
   * outcome in `dispute_outcome`; a decision for the buyer refunds the disputed amount to them.
   */
  resolveDispute(dispute: Record<string, unknown>, outcomeCode: DisputeOutcomeCode): Record<string, unknown> {
    const buyerGetsMoney = outcomeCode === 'RESOLVED_BUYER_FAVOUR' || outcomeCode === 'ACCEPTED';
    const now = paypalTime();
    Object.assign(dispute, {
      status: 'RESOLVED', update_time: now,
      dispute_outcome: { outcome_code: outcomeCode, ...(buyerGetsMoney ? { amount_refunded: dispute.dispute_amount } : {}) },
    });
    emitEvent(this.ctx, this.state, 'CUSTOMER.DISPUTE.RESOLVED', 'dispute', `Dispute ${String(dispute.dispute_id)} resolved`, structuredClone(dispute));
    return dispute;
  }
}
