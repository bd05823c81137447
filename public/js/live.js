/** Live order status over graphql-ws on /graphql, authenticated in the connection params. */
import { createClient } from '/vendor/graphql-ws/client.js';
import { ORDER_FIELDS } from './order-view.js';

const SUBSCRIPTION = `subscription OrderStatus($orderId: ID!) {
  orderStatusChanged(orderId: $orderId) { orderId status previousStatus source at order { ${ORDER_FIELDS} } }
}`;

/**
 * Subscribes to `orderStatusChanged` for one order. `onEvent` gets each event, `onState` gets
 * 'connecting' | 'live' | 'offline' | 'denied'. Returns a function that stops everything.
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
  const unsubscribe = client.subscribe(
    { query: SUBSCRIPTION, variables: { orderId } },
    {
      next: (result) => {
        if (result.data?.orderStatusChanged) onEvent(result.data.orderStatusChanged);
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
