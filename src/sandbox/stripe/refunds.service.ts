import { AUTOMATIC, type EventOrigin } from './stripe.events';
import type { StripeDeps } from './stripe.context';
import { invalidRequest, noSuch } from './stripe.errors';
import { render } from './stripe.expand';
import { stripeId } from './stripe.ids';
import { formatAmount } from './stripe.money';
import { refundObject } from './stripe.objects';
import type { Params } from './stripe.params';
import type { ChargeRecord, RefundObject } from './stripe.store';

/** How long a `refundFail` card's refund looks successful before it fails. */
export const REFUND_FAILURE_DELAY_MS = 200;

/** What `/v1/refunds` does: a refund of a succeeded charge, full or partial, never more than is left. */
export class RefundsService {
  constructor(
    private readonly deps: StripeDeps,
    private readonly later: (ms: number, fn: () => void) => void,
  ) {}

  /** `POST /v1/refunds`: the refund, rendered with the request's `expand`. */
  create(p: Params, origin: EventOrigin): unknown {
    const { store, events } = this.deps;
    const charge = this.chargeOf(p);
    const c = charge.obj;
    if (c.status !== 'succeeded') throw invalidRequest(`Charge ${c.id} has not succeeded and cannot be refunded.`, 'charge');
    const openDispute = [...store.disputes.values()].some((d) => d.charge === c.id && !d.is_charge_refundable);
    if (openDispute) throw invalidRequest(`Charge ${c.id} has been charged back; cannot issue a refund.`, undefined, 'charge_disputed');
    const left = c.amount - c.amount_refunded;
    if (left <= 0) throw invalidRequest(`Charge ${c.id} has already been refunded.`, undefined, 'charge_already_refunded');
    const amount = p.int('amount') ?? left;
    if (amount < 1) p.invalid('amount', 'Invalid positive integer');
    if (amount > left) {
      const what = c.amount_refunded === 0 ? `charge amount (${formatAmount(c.amount, c.currency)})` : `unrefunded amount on charge (${formatAmount(left, c.currency)})`;
      p.invalid('amount', `Refund amount (${formatAmount(amount, c.currency)}) is greater than ${what}`);
    }
    const refund = refundObject(charge, amount, p.str('reason') ?? null, p.metadata());
    store.refunds.set(refund.id, refund);
    const previous = { amount_refunded: c.amount_refunded, refunded: c.refunded };
    c.amount_refunded += amount;
    c.refunded = c.amount_refunded === c.amount;
    const list = c.refunds as { data: RefundObject[]; total_count: number };
    list.data.unshift(refund);
    list.total_count = list.data.length;
    events.emit('charge.refunded', c, origin, previous);
    events.emit('refund.created', refund, origin);
    if (charge.card.behaviour.kind === 'refund_fail') this.failLater(refund, charge);
    return render(store, refund, p.strings('expand'));
  }

  find(id: string): RefundObject {
    const refund = this.deps.store.refunds.get(id);
    if (!refund) throw noSuch('refund', id, 'refund');
    return refund;
  }

  private chargeOf(p: Params): ChargeRecord {
    const { store } = this.deps;
    const chargeId = p.str('charge');
    const piId = p.str('payment_intent');
    if (!chargeId && !piId) throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.');
    if (chargeId) {
      const charge = store.charges.get(chargeId);
      if (!charge) throw noSuch('charge', chargeId, 'charge');
      if (piId && charge.obj.payment_intent !== piId) p.invalid('payment_intent', `Charge ${chargeId} does not belong to PaymentIntent ${piId}.`);
      return charge;
    }
    const pi = store.paymentIntents.get(piId!);
    if (!pi) throw noSuch('payment_intent', piId!, 'payment_intent');
    const charge = pi.obj.latest_charge ? store.charges.get(pi.obj.latest_charge) : undefined;
    if (pi.obj.status !== 'succeeded' || !charge) {
      throw invalidRequest(`This PaymentIntent (${piId}) does not have a successful charge to refund.`, 'payment_intent');
    }
    return charge;
  }

  /** The `refundFail` test card: the refund looked fine, then fails and the money goes back on the charge. */
  private failLater(refund: RefundObject, charge: ChargeRecord): void {
    this.later(REFUND_FAILURE_DELAY_MS, () => {
      Object.assign(refund, { status: 'failed', failure_reason: 'expired_or_canceled_card', failure_balance_transaction: stripeId('txn') });
      charge.obj.amount_refunded -= refund.amount;
      charge.obj.refunded = false;
      this.deps.events.emit('refund.updated', refund, AUTOMATIC, { status: 'succeeded' });
      this.deps.events.emit('charge.refund.updated', refund, AUTOMATIC, { status: 'succeeded' });
    });
  }
}
