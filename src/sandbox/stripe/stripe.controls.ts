import express, { type Response, type Router } from 'express';
import { z } from 'zod';
import type { CheckoutService } from './checkout.service';
import type { StripeDeps } from './stripe.context';
import { AUTOMATIC } from './stripe.events';
import { snapshot } from './stripe.objects';
import type { ChargeRecord } from './stripe.store';

const DISPUTE_REASONS = ['bank_cannot_process', 'check_returned', 'credit_not_processed', 'customer_initiated', 'debit_not_authorized', 'duplicate', 'fraudulent', 'general', 'incorrect_account_details', 'insufficient_funds', 'product_not_received', 'product_unacceptable', 'subscription_canceled', 'unrecognized'] as const;
const disputeSchema = z
  .object({ charge: z.string().optional(), payment_intent: z.string().optional(), reason: z.enum(DISPUTE_REASONS).optional(), amount: z.number().int().min(1).optional(), inquiry: z.boolean().optional() })
  .strict()
  .refine((b) => !!b.charge !== !!b.payment_intent, { message: 'give exactly one of charge or payment_intent', path: ['charge'] });
const closeSchema = z.object({ status: z.enum(['won', 'lost', 'warning_closed']) }).strict();
const asyncSchema = z.object({ outcome: z.enum(['processing', 'succeeded', 'failed']) }).strict();

function bad(res: Response, field: string, message: string, status = 400): void {
  res.status(status).json({ error: `${field}: ${message}`, field });
}

function parse<T>(schema: z.ZodType<T>, body: unknown, res: Response): T | undefined {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  bad(res, issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'body'), issue.message);
  return undefined;
}

/**
 * Stripe test controls at `/__sandbox/stripe/`: disputes (open, then close with an outcome),
 * session expiry, delayed (async) Checkout payments, lapsed authorizations (manual capture).
 */
export function stripeControls(deps: StripeDeps, checkout: CheckoutService): Router {
  const { store, payments } = deps;
  const r = express.Router();
  r.use(express.json());

  r.post('/disputes', (req, res) => {
    const b = parse(disputeSchema, req.body, res);
    if (!b) return;
    let charge: ChargeRecord | undefined;
    if (b.charge) charge = store.charges.get(b.charge);
    else {
      const pi = store.paymentIntents.get(b.payment_intent!);
      charge = pi?.obj.latest_charge ? store.charges.get(pi.obj.latest_charge) : undefined;
    }
    if (!charge) return bad(res, b.charge ? 'charge' : 'payment_intent', 'no such charge / payment intent with a charge', 404);
    if (charge.obj.status !== 'succeeded') return bad(res, 'charge', `charge ${charge.obj.id} did not succeed`, 409);
    if (charge.obj.disputed) return bad(res, 'charge', `charge ${charge.obj.id} is already disputed`, 409);
    const amount = b.amount ?? charge.obj.amount;
    if (amount > charge.obj.amount) return bad(res, 'amount', `must not exceed the charge amount ${charge.obj.amount}`);
    res.status(201).json(snapshot(payments.dispute(charge, b.reason ?? 'fraudulent', amount, b.inquiry ?? false, AUTOMATIC)));
  });

  // The card network decides: a chargeback is `won` or `lost`, an inquiry (`warning_*`) `warning_closed`.
  r.post('/disputes/:id/close', (req, res) => {
    const b = parse(closeSchema, req.body, res);
    if (!b) return;
    const dispute = store.disputes.get(req.params.id);
    if (!dispute) return bad(res, 'id', `no such dispute ${req.params.id}`, 404);
    const status = String(dispute.status);
    const inquiry = status.startsWith('warning_');
    if (!['needs_response', 'under_review', 'warning_needs_response', 'warning_under_review'].includes(status)) return bad(res, 'id', `dispute is ${status}; only an open dispute closes`, 409);
    if (inquiry !== (b.status === 'warning_closed')) return bad(res, 'status', inquiry ? 'an inquiry closes as warning_closed' : 'a chargeback closes as won or lost');
    res.json(snapshot(payments.closeDispute(dispute, b.status, AUTOMATIC)));
  });

  // Stripe cancels an uncaptured PaymentIntent 7 days after the authorization; this makes it lapse now.
  r.post('/payment_intents/:id/expire_authorization', (req, res) => {
    const pi = store.paymentIntents.get(req.params.id);
    if (!pi) return bad(res, 'id', `no such payment intent ${req.params.id}`, 404);
    if (pi.obj.status !== 'requires_capture') return bad(res, 'id', `payment intent is ${pi.obj.status}; only an authorization (requires_capture) lapses`, 409);
    payments.releaseAuthorization(pi, 'automatic', AUTOMATIC);
    res.json(snapshot(pi.obj));
  });

  r.post('/checkout/sessions/:id/expire', (req, res) => {
    const s = store.sessions.get(req.params.id);
    if (!s) return bad(res, 'id', `no such checkout session ${req.params.id}`, 404);
    if (s.obj.status !== 'open') return bad(res, 'id', `session is ${s.obj.status}, only open sessions expire`, 409);
    checkout.expire(s, AUTOMATIC);
    res.json(snapshot(s.obj));
  });

  r.post('/checkout/sessions/:id/async', (req, res) => {
    const b = parse(asyncSchema, req.body, res);
    if (!b) return;
    const s = store.sessions.get(req.params.id);
    if (!s) return bad(res, 'id', `no such checkout session ${req.params.id}`, 404);
    if (b.outcome === 'processing') {
      if (s.obj.status !== 'open') return bad(res, 'id', `session is ${s.obj.status}; a delayed payment starts from an open session`, 409);
      checkout.startAsync(s);
    } else {
      if (!s.asyncPending) return bad(res, 'outcome', 'no delayed payment is processing on this session; POST {"outcome":"processing"} first', 409);
      checkout.settleAsync(s, b.outcome);
    }
    res.json(snapshot(s.obj));
  });
  return r;
}
