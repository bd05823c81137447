import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { SandboxContext } from '../core/sandbox.types';
import { PayPalApiError } from './paypal.errors';
import { isKnownMockCode } from './paypal.mock-codes';
import { toMinor, currencyDigits, isMoneySyntax } from './paypal.money';
import type { OrdersService } from './paypal.orders.service';
import { DISPUTE_OUTCOME_CODES, type DisputeOutcomeCode, type PaymentsService } from './paypal.payments.service';
import type { PayPalState } from './paypal.state';
import { approveUrl, captureView, orderView, refundView } from './paypal.views';
import { certUrl } from './paypal.webhooks';

type Json = Record<string, unknown>;

/** A control refused: plain JSON `{error}` — controls are ours, not PayPal's. */
class ControlError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

function body(req: Request): Json {
  return typeof req.body === 'object' && req.body !== null ? (req.body as Json) : {};
}

/** bigint-safe JSON for internal state dumps. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
}

/**
 * Test-only controls under `/__sandbox/paypal/` (JSON in, JSON out):
 * - `GET stats` → `{tokensIssued, tokensActive, orders, captures, refunds, events}`
 * - `POST tokens/expire` → every issued token now answers 401 `invalid_token`
 * - `GET cert` → `{certUrl, webhookId}`; `GET events` → every event with the exact bytes posted
 * - `GET orders/:id` → `{record, order, approveUrl}`
 * - `POST orders/:id/approve {payer?}` → approve without the browser (`CHECKOUT.ORDER.APPROVED`)
 * - `POST orders/:id/next-capture {status: 'PENDING'|'DECLINED'}` → outcome of the next capture
 * - `POST orders/:id/mock {mock_application_codes}` → negative-testing code for the next capture
 * - `GET captures/:id`, `GET refunds/:id` → resources with `supplementary_data`
 * - `POST captures/:id/complete|deny` → settle a PENDING capture (`PAYMENT.CAPTURE.COMPLETED|DENIED`)
 * - `POST captures/:id/reverse` → reversal of what is left (`PAYMENT.CAPTURE.REVERSED`)
 * - `POST disputes {capture_id, reason?, amount?: {value}}` → `CUSTOMER.DISPUTE.CREATED`
 * - `POST disputes/:id/resolve {outcome: 'RESOLVED_SELLER_FAVOUR'|'RESOLVED_BUYER_FAVOUR'|…}` → `CUSTOMER.DISPUTE.RESOLVED`
 */
export function createControlsRouter(ctx: SandboxContext, state: PayPalState, orders: OrdersService, payments: PaymentsService): Router {
  const router = Router();
  router.use(express.json());
  const order = (req: Request) => {
    const found = orders.tryGet(String(req.params.id));
    if (!found) throw new ControlError(404, `No PayPal order ${String(req.params.id)}`);
    return found;
  };
  const capture = (id: unknown) => {
    const found = state.captures.get(String(id));
    if (!found) throw new ControlError(404, `No PayPal capture ${String(id)}`);
    return found;
  };

  router.get('/stats', (_req, res) => {
    const now = Date.now();
    res.json({
      tokensIssued: state.tokensIssued,
      tokensActive: [...state.tokens.values()].filter((t) => t.expiresAt > now).length,
      orders: state.orders.size, captures: state.captures.size, refunds: state.refunds.size, events: state.events.size,
    });
  });
  router.post('/tokens/expire', (_req, res) => {
    for (const token of state.tokens.values()) token.expiresAt = 0;
    res.json({ expired: state.tokens.size });
  });
  router.get('/cert', (_req, res) => res.json({ certUrl: certUrl(ctx), webhookId: ctx.options.paypal.webhookId }));
  router.get('/events', (_req, res) => {
    res.json({ data: [...state.events.values()].map((e) => ({ id: e.id, eventType: e.eventType, createTime: e.createTime, body: e.body })) });
  });

  router.get('/orders/:id', (req, res) => {
    const found = order(req);
    res.json({ record: plain(found), order: orderView(ctx.baseUrl(), found, orders.capturesOf(found)), approveUrl: approveUrl(ctx.baseUrl(), found.id) });
  });
  router.post('/orders/:id/approve', (req, res) => {
    const found = order(req);
    if (!orders.approvable(found)) throw new ControlError(409, `Order is ${found.status}; it cannot be approved`);
    const payer = body(req).payer as Json | undefined;
    orders.approve(found, typeof payer === 'object' && payer !== null ? payer : {});
    res.json({ order: orderView(ctx.baseUrl(), found, []), payerId: found.payer?.payer_id });
  });
  router.post('/orders/:id/next-capture', (req, res) => {
    const status = body(req).status;
    if (status !== 'PENDING' && status !== 'DECLINED') throw new ControlError(400, 'status must be PENDING or DECLINED');
    order(req).nextCapture = status;
    res.json({ nextCapture: status });
  });
  router.post('/orders/:id/mock', (req, res) => {
    const code = body(req).mock_application_codes;
    if (typeof code !== 'string' || !isKnownMockCode('capture', code)) throw new ControlError(400, `mock_application_codes ${String(code)} is not supported by the sandbox for capture`);
    order(req).armedMockCode = code;
    res.json({ armed: code });
  });

  router.get('/captures/:id', (req, res) => res.json(captureView(ctx.baseUrl(), capture(req.params.id), true)));
  router.get('/refunds/:id', (req, res) => res.json(refundView(ctx.baseUrl(), payments.refund(String(req.params.id)), true)));
  router.post('/captures/:id/complete', (req, res) => res.json(captureView(ctx.baseUrl(), payments.settlePending(capture(req.params.id), 'COMPLETED'), true)));
  router.post('/captures/:id/deny', (req, res) => res.json(captureView(ctx.baseUrl(), payments.settlePending(capture(req.params.id), 'DECLINED'), true)));
  router.post('/captures/:id/reverse', (req, res) => res.json(refundView(ctx.baseUrl(), payments.reverse(capture(req.params.id)), true)));
  router.post('/disputes', (req, res) => {
    const { capture_id: captureId, reason, amount } = body(req);
    const target = capture(captureId);
    const value = typeof amount === 'object' && amount !== null ? (amount as Json).value : undefined;
    if (value !== undefined && !isMoneySyntax(value)) throw new ControlError(400, 'amount.value must be a decimal string');
    const minor = typeof value === 'string' ? toMinor(value, currencyDigits(target.currency)) : undefined;
    res.status(201).json(payments.openDispute(target, typeof reason === 'string' ? reason : undefined, minor));
  });

  router.post('/disputes/:id/resolve', (req, res) => {
    const outcome = body(req).outcome;
    if (!DISPUTE_OUTCOME_CODES.includes(outcome as DisputeOutcomeCode)) throw new ControlError(400, `outcome must be one of ${DISPUTE_OUTCOME_CODES.join(', ')}`);
    const dispute = state.disputes.get(String(req.params.id));
    if (!dispute) throw new ControlError(404, `No PayPal dispute ${String(req.params.id)}`);
    if (dispute.status === 'RESOLVED') throw new ControlError(409, `Dispute ${String(req.params.id)} is already resolved`);
    res.json(payments.resolveDispute(dispute, outcome as DisputeOutcomeCode));
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof ControlError) return void res.status(err.status).json({ error: err.message });
    if (err instanceof PayPalApiError) return void res.status(err.status).json(err.body());
    const parseFailed = typeof err === 'object' && err !== null && (err as { type?: string }).type === 'entity.parse.failed';
    res.status(parseFailed ? 400 : 500).json({ error: parseFailed ? 'Malformed JSON body' : String(err) });
  });
  return router;
}
