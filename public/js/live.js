/** Live order status over graphql-ws on /graphql, authenticated in the connection params. */
import { createClient } from '/vendor/graphql-ws/client.js';
import { ORDER_FIELDS } from './order-view.js';

const SUBSCRIPTION = `subscription OrderStatus($orderId: ID!, $afterSequence: Int) {
  orderStatusChanged(orderId: $orderId, afterSequence: $afterSequence) { orderId sequence status previousStatus source at order { ${ORDER_FIELDS} } }
}`;

/**
 * Subscribes to `orderStatusChanged` for one order. `onEvent` gets each event once, in order,
 * `onState` gets 'connecting' | 'live' | 'offline' | 'denied'. Returns a function that stops everything.
 * Resumes: graphql-ws re-sends the very same variables object when it reconnects, so keeping the
 * last `sequence` seen in it makes the server replay every change missed while offline.
 */
export function watchOrder(orderId, bearer, { onEvent, onState }) {
  const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
  let stopped = false;
  const client = createClient({
    url,
    connectionParams: { authorization: `Bearer ${bearer}` },
    retryAttempts: 20,
    shouldRetry: (event) => !(event && typeof event === 'object' && 'code' in event && (event.code === 4401 || event.code === 4403)),
    on: {
      connecting: () => onState('connecting'),
      connected: () => onState('live'),
      closed: (event) => {
        if (stopped) return;
        const denied = event && typeof event === 'object' && 'code' in event && (event.code === 4401 || event.code === 4403);
        onState(denied ? 'denied' : 'offline');
      },
    },
  });
  const variables = { orderId, afterSequence: null };
  const unsubscribe = client.subscribe(
    { query: SUBSCRIPTION, variables },
    {
      next: (result) => {
        const event = result.data?.orderStatusChanged;
        if (event) {
          if (event.sequence != null) {
            if (variables.afterSequence != null && event.sequence <= variables.afterSequence) return;
            variables.afterSequence = event.sequence;
          }
          onEvent(event);
        }
        else if (result.errors?.length) onState('denied');
      },
      error: () => { if (!stopped) onState('offline'); },
      complete: () => {},
    },
  );
  return () => {
    stopped = true;
    unsubscribe();
    client.dispose();
  };
}
