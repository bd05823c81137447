import type { DisputeEntity, PaymentEntity } from '../../db/entities';
import type { DisputeOutcome, ProviderDisputeRef } from '../providers/provider-events';
import { DisputeStatus } from '../../model/dispute-status';
import type { PaymentProvider } from '../../model/payment-types';
import { moveDispute } from '../payment-state-machine';
import type { OrderWork } from './order-work';

const OUTCOME_STATUS: Record<DisputeOutcome, DisputeStatus> = { won: DisputeStatus.WON, lost: DisputeStatus.LOST };

/** What one dispute event changed: the fact before (null when it was new) and after. */
export interface DisputeChange {
  dispute: DisputeEntity;
  from: DisputeStatus | null;
  to: DisputeStatus;
}

/**
 * Records what a provider says about one dispute (the order's `disputes` must be loaded).
 * A close that arrives before its "opened" creates the fact already decided; a late or repeated
 * "opened" after the close changes nothing. Returns undefined when nothing changed.
 */
export function recordDispute(
  uow: OrderWork,
  payment: PaymentEntity,
  provider: PaymentProvider,
  said: ProviderDisputeRef & { outcome?: DisputeOutcome },
): DisputeChange | undefined {
  const order = payment.order;
  const next = said.outcome ? OUTCOME_STATUS[said.outcome] : DisputeStatus.OPEN;
  let dispute = order.disputes.getItems().find((d) => d.provider === provider && d.providerDisputeId === said.disputeId);
  const from = dispute?.status ?? null;
  if (!dispute) {
    dispute = uow.addDispute({ order, payment, provider, providerDisputeId: said.disputeId, status: next });
  } else {
    moveDispute(dispute, next);
  }
  // Details only fill in: an event without them does not erase what an earlier one said.
  dispute.reason ??= said.reason ?? null;
  if (said.amount !== undefined && dispute.amount == null) {
    dispute.amount = said.amount;
    dispute.currency = said.currency?.toUpperCase() ?? null;
  }
  return from === dispute.status ? undefined : { dispute, from, to: dispute.status };
}

/** True while a dispute keeps the order DISPUTED: open, or lost (the buyer got the money back through the bank). */
export function keepsOrderDisputed(dispute: DisputeEntity): boolean {
  return dispute.status === DisputeStatus.OPEN || dispute.status === DisputeStatus.LOST;
}
