import { Repeater } from '@graphql-yoga/subscription';
import type { OrderStatusChange } from '../model/status-change';
import type { AppPubSub } from './pubsub';

/**
 * One order's status changes for one subscriber: with `afterSequence`, first every change after it
 * from the event log, then the live ones, with no gap and no repeat at the seam. It listens before
 * it reads the log (a change committed meanwhile is in the log, the live stream, or both), holds
 * live changes until the replay is sent, and then drops every change whose sequence it has already
 * sent (the outbox publishes at least once). Without `afterSequence` nothing is replayed, and
 * changes up to `seen` (the last one in the order as the subscriber was authorised) are dropped.
 */
export function resumableChanges(
  pubSub: AppPubSub,
  orderId: string,
  afterSequence: number | null | undefined,
  seen: number,
  replay: (after: number) => Promise<OrderStatusChange[]>,
): AsyncIterableIterator<OrderStatusChange> {
  return new Repeater<OrderStatusChange>(async (push, stop) => {
    let last = afterSequence ?? seen;
    let held: OrderStatusChange[] | undefined = afterSequence == null ? undefined : [];
    const send = (change: OrderStatusChange) => {
      if (change.sequence !== undefined) {
        if (change.sequence <= last) return;
        last = change.sequence;
      }
      void push(change);
    };
    const unlisten = pubSub.listen(orderId, (change) => (held ? held.push(change) : send(change)));
    try {
      if (held) {
        for (const change of await replay(afterSequence!)) send(change);
        for (const change of held.sort((x, y) => (x.sequence ?? 0) - (y.sequence ?? 0))) send(change);
        held = undefined;
      }
      await stop;
    } catch (error) {
      stop(error);
    } finally {
      unlisten();
    }
  });
}
