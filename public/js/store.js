/** The shop page: catalog, a one-currency cart, and checkout with three ways to pay. */
import { describeError, gql, newIdempotencyKey } from './api.js';
import { cartSignature, checkoutOrder, forgetCheckoutOrder, loadCart, rememberCheckoutOrder, saveCart } from './cart.js';
import { byId, el, fill, say } from './dom.js';
import { formatMoney } from './money.js';
import { mountPaymentPanel } from './payment-panel.js';
import { knownOrderIds, orderToken, saveOrderToken } from './tokens.js';

const MAX_QUANTITY = 99;
let products = [];
let cart = loadCart();
/** The payment panel, once mounted: told when the cart's currency changes. */
let panel = null;

const bySku = (sku) => products.find((p) => p.sku === sku);

function renderCatalog() {
  const target = byId('products');
  fill(target, products.map((product) => {
    const otherCurrency = cart.currency !== null && cart.currency !== product.currency;
    return el('article', { class: 'product', 'data-testid': 'product', dataset: { sku: product.sku, currency: product.currency } },
      el('h3', {}, product.name),
      product.description ? el('p', { class: 'muted' }, product.description) : null,
      el('p', { class: 'price', 'data-testid': 'price' }, formatMoney(product.unitAmount, product.currency)),
      el('button', {
        type: 'button',
        class: 'add',
        'data-testid': 'add-to-cart',
        dataset: { sku: product.sku },
        disabled: otherCurrency,
        title: otherCurrency ? `Your cart is in ${cart.currency}; one order is paid in one currency.` : null,
      }, 'Add to cart'),
      otherCurrency ? el('p', { class: 'hint' }, `Priced in ${product.currency} — your cart is in ${cart.currency}.`) : null);
  }));
  target.setAttribute('aria-busy', 'false');
}

function renderCart() {
  const lines = cart.lines.filter((line) => bySku(line.sku));
  const empty = lines.length === 0;
  byId('cart-empty').hidden = !empty;
  byId('cart-table').hidden = empty;
  byId('cart-clear').hidden = empty;
  byId('checkout').hidden = empty;
  say(byId('cart-note'), empty ? '' : `This cart is in ${cart.currency}. An order is paid in a single currency, so items priced in other currencies can be bought in a separate order: empty the cart or finish this order first.`);
  fill(byId('cart-lines'), lines.map((line) => {
    const product = bySku(line.sku);
    const quantity = el('input', { type: 'number', min: 1, max: MAX_QUANTITY, value: line.quantity, 'aria-label': `Quantity of ${product.name}`, 'data-testid': 'cart-quantity', class: 'qty' });
    quantity.addEventListener('change', () => setQuantity(line.sku, Number.parseInt(quantity.value, 10)));
    const remove = el('button', { type: 'button', class: 'link', 'aria-label': `Remove ${product.name}` }, 'Remove');
    remove.addEventListener('click', () => setQuantity(line.sku, 0));
    return el('tr', { 'data-testid': 'cart-line', dataset: { sku: line.sku } },
      el('td', {}, product.name),
      el('td', {}, quantity),
      el('td', { class: 'num' }, formatMoney(product.unitAmount * line.quantity, product.currency)),
      el('td', {}, remove));
  }));
  const total = lines.reduce((sum, line) => sum + bySku(line.sku).unitAmount * line.quantity, 0);
  byId('cart-total').textContent = empty ? '' : formatMoney(total, cart.currency);
}

function update() {
  saveCart(cart);
  renderCatalog();
  renderCart();
  panel?.refresh();
}

function addToCart(sku) {
  const product = bySku(sku);
  if (!product) return;
  if (cart.currency && cart.currency !== product.currency) {
    say(byId('cart-note'), `${product.name} is priced in ${product.currency}, but your cart is in ${cart.currency}. One order is paid in one currency: empty the cart or finish this order first.`, 'warning');
    return;
  }
  const line = cart.lines.find((l) => l.sku === sku);
  if (line) line.quantity = Math.min(MAX_QUANTITY, line.quantity + 1);
  else cart.lines.push({ sku, quantity: 1 });
  cart.currency = product.currency;
  update();
}

function setQuantity(sku, quantity) {
  const safe = Number.isInteger(quantity) ? Math.min(MAX_QUANTITY, quantity) : 1;
  cart.lines = safe <= 0 ? cart.lines.filter((l) => l.sku !== sku) : cart.lines.map((l) => (l.sku === sku ? { ...l, quantity: safe } : l));
  if (cart.lines.length === 0) cart.currency = null;
  update();
}

/** The order for the current cart: reused while the cart is unchanged, created otherwise. */
async function resolveOrder() {
  const signature = cartSignature(cart);
  const existing = checkoutOrder();
  if (existing?.signature === signature && orderToken(existing.orderId)) {
    return { id: existing.orderId, token: orderToken(existing.orderId) };
  }
  const email = byId('email').value.trim();
  const data = await gql(
    `mutation Create($input: CreateOrderInput!) { createOrder(input: $input) { accessToken order { id status } } }`,
    { input: { items: cart.lines.map(({ sku, quantity }) => ({ sku, quantity })), customerEmail: email || null } },
    undefined,
    { idempotencyKey: newIdempotencyKey() },
  );
  const { order, accessToken } = data.createOrder;
  saveOrderToken(order.id, accessToken);
  rememberCheckoutOrder(order.id, signature);
  renderMyOrders();
  return { id: order.id, token: accessToken };
}

function renderMyOrders() {
  const ids = knownOrderIds();
  byId('my-orders').hidden = ids.length === 0;
  fill(byId('my-orders-list'), ids.map((id) => el('li', {}, el('a', { href: `/order.html?id=${encodeURIComponent(id)}` }, `Order ${id}`))));
}

async function start() {
  byId('products').addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-sku]') : null;
    if (button) addToCart(button.dataset.sku);
  });
  byId('cart-clear').addEventListener('click', () => {
    cart = { currency: null, lines: [] };
    forgetCheckoutOrder();
    update();
  });
  panel = mountPaymentPanel(byId('pay-panel'), {
    resolveOrder,
    currency: () => cart.currency,
    // An order that can no longer take a payment (paid elsewhere, canceled): start a fresh one next time.
    onError: (error) => { if (error?.code === 'CONFLICT') forgetCheckoutOrder(); },
  });
  renderMyOrders();
  try {
    const catalog = (await gql('query Products { products { sku name description unitAmount currency } }')).products;
    // Grouped by currency, then by name, so a one-currency cart is easy to fill.
    products = [...catalog].sort((a, b) => a.currency.localeCompare(b.currency) || a.name.localeCompare(b.name));
  } catch (error) {
    say(byId('catalog-message'), `The catalog could not be loaded. ${describeError(error)}`, 'error');
    return;
  }
  cart.lines = cart.lines.filter((l) => bySku(l.sku));
  if (cart.lines.length === 0) cart.currency = null;
  update();
}

start();
