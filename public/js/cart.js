/** The cart, kept in sessionStorage: one currency, SKUs and quantities only (prices come from the server). */
const KEY = 'cart';
const CHECKOUT_KEY = 'checkout-order';

/** `{ currency, lines: [{ sku, quantity }] }`; currency is null while empty. */
export function loadCart() {
  try {
    const cart = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (cart && Array.isArray(cart.lines)) return cart;
  } catch {
    // A corrupted entry is treated as an empty cart.
  }
  return { currency: null, lines: [] };
}

export function saveCart(cart) {
  sessionStorage.setItem(KEY, JSON.stringify(cart.lines.length ? cart : { currency: null, lines: [] }));
}

/** A stable description of the cart's content, to tell whether an open order still matches it. */
export function cartSignature(cart) {
  return cart.lines.map((l) => `${l.sku}x${l.quantity}`).sort().join(',');
}

/** The order created at checkout for this cart content, if any: `{ orderId, signature }`. */
export function checkoutOrder() {
  try {
    return JSON.parse(sessionStorage.getItem(CHECKOUT_KEY) ?? 'null');
  } catch {
    return null;
  }
}

export function rememberCheckoutOrder(orderId, signature) {
  sessionStorage.setItem(CHECKOUT_KEY, JSON.stringify({ orderId, signature }));
}

export function forgetCheckoutOrder() {
  sessionStorage.removeItem(CHECKOUT_KEY);
}

/** After a successful payment: the cart that produced `orderId` is done. */
export function completeCheckout(orderId) {
  if (checkoutOrder()?.orderId === orderId) {
    forgetCheckoutOrder();
    sessionStorage.removeItem(KEY);
  }
}
