/**
 * Order access tokens live only in this browser's localStorage, keyed by order id: never in a
 * URL, a log line or on the server (which keeps only a hash).
 */
const PREFIX = 'order-token:';

export function saveOrderToken(orderId, token) {
  localStorage.setItem(PREFIX + orderId, token);
}

export function orderToken(orderId) {
  return localStorage.getItem(PREFIX + orderId);
}

/** Order ids this browser holds a token for (for "your orders"). */
export function knownOrderIds() {
  const ids = [];
  for (let i = 0; i < localStorage.length; i += 1) {
    const key = localStorage.key(i);
    if (key?.startsWith(PREFIX)) ids.push(key.slice(PREFIX.length));
  }
  return ids;
}
