import type { SandboxContext } from '../core/sandbox.types';
import { isKnownMockCode } from './paypal.mock-codes';
import { currencyDigits, isMoneySyntax, toMinor } from './paypal.money';
import type { OrdersService } from './paypal.orders.service';
import { DISPUTE_OUTCOME_CODES, type DisputeOutcomeCode, type PaymentsService } from './paypal.payments.service';
import type { PayPalState } from './paypal.state';
import { approveUrl, captureView, orderView } from './paypal.views';
import { certUrl } from './paypal.webhooks';

type Json = Record<string, unknown>;

/** A control refused: plain JSON `{error}` — controls are ours, not PayPal's. */
export class ControlError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

/** bigint-safe JSON for internal state dumps. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

/** What the PayPal test controls do (paypal.controls.routes.ts lists them); each returns the JSON answer. */
export class PayPalControls {
  constructor(
    private readonly ctx: SandboxContext,
    private readonly state: PayPalState,
    private readonly orders: OrdersService,
    private readonly payments: PaymentsService,
  ) {}

  stats(): Json {
    const { state } = this;
    const now = Date.now();
    return {
      tokensIssued: state.tokensIssued,
      tokensActive: [...state.tokens.values()].filter((t) => t.expiresAt > now).length,
      orders: state.orders.size, captures: state.captures.size, refunds: state.refunds.size, events: state.events.size,
    };
  }

  expireTokens(): Json {
    for (const token of this.state.tokens.values()) token.expiresAt = 0;
    return { expired: this.state.tokens.size };
  }

  cert(): Json {
    return { certUrl: certUrl(this.ctx), webhookId: this.ctx.options.paypal.webhookId };
  }

  events(): Json {
    return { data: [...this.state.events.values()].map((e) => ({ id: e.id, eventType: e.eventType, createTime: e.createTime, body: e.body })) };
  }

  orderDump(id: string): Json {
    const found = this.order(id);
    return { record: plain(found), order: orderView(this.ctx.baseUrl(), found, this.orders.capturesOf(found)), approveUrl: approveUrl(this.ctx.baseUrl(), found.id) };
  }

  approve(id: string, payer: unknown): Json {
    const found = this.order(id);
    if (!this.orders.approvable(found)) throw new ControlError(409, `Order is ${found.status}; it cannot be approved`);
    this.orders.approve(found, typeof payer === 'object' && payer !== null ? (payer as Json) : {});
    return { order: orderView(this.ctx.baseUrl(), found, []), payerId: found.payer?.payer_id };
  }

  nextCapture(id: string, status: unknown): Json {
    if (status !== 'PENDING' && status !== 'DECLINED') throw new ControlError(400, 'status must be PENDING or DECLINED');
    this.order(id).nextCapture = status;
    return { nextCapture: status };
  }

  armMock(id: string, code: unknown): Json {
    if (typeof code !== 'string' || !isKnownMockCode('capture', code)) throw new ControlError(400, `mock_application_codes ${String(code)} is not supported by the sandbox for capture`);
    this.order(id).armedMockCode = code;
    return { armed: code };
  }

  capture(id: unknown) {
    const found = this.state.captures.get(String(id));
    if (!found) throw new ControlError(404, `No PayPal capture ${String(id)}`);
    return found;
  }

  /** `CUSTOMER.DISPUTE.CREATED` for a capture; `amount.value` (decimal string) defaults to the whole capture. */
  openDispute(input: Json): unknown {
    const { capture_id: captureId, reason, amount } = input;
    const target = this.capture(captureId);
    const value = typeof amount === 'object' && amount !== null ? (amount as Json).value : undefined;
    if (value !== undefined && !isMoneySyntax(value)) throw new ControlError(400, 'amount.value must be a decimal string');
    const minor = typeof value === 'string' ? toMinor(value, currencyDigits(target.currency)) : undefined;
    return this.payments.openDispute(target, typeof reason === 'string' ? reason : undefined, minor);
  }

  resolveDispute(id: string, outcome: unknown): unknown {
    if (!DISPUTE_OUTCOME_CODES.includes(outcome as DisputeOutcomeCode)) throw new ControlError(400, `outcome must be one of ${DISPUTE_OUTCOME_CODES.join(', ')}`);
    const dispute = this.state.disputes.get(id);
    if (!dispute) throw new ControlError(404, `No PayPal dispute ${id}`);
    if (dispute.status === 'RESOLVED') throw new ControlError(409, `Dispute ${id} is already resolved`);
    return this.payments.resolveDispute(dispute, outcome as DisputeOutcomeCode);
  }

  captureView(id: unknown): unknown {
    return captureView(this.ctx.baseUrl(), this.capture(id), true);
  }

  private order(id: string) {
    const found = this.orders.tryGet(id);
    if (!found) throw new ControlError(404, `No PayPal order ${id}`);
    return found;
  }
}
