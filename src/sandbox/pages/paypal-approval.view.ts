import { currencyDigits, fromMinor, toMinor } from '../paypal/paypal.money';
import { DEFAULT_PAYER } from '../paypal/paypal.orders.service';
import type { OrderRecord } from '../paypal/paypal.state';
import { esc, hostedDocument } from './html';
import { PAYPAL_CSS } from './paypal.styles';

type Money = { value?: string; currency_code?: string } | undefined;

/** "£51.99 GBP" as PayPal writes amounts: the symbol, PayPal's own value string, the code. */
function money(m: Money): string {
  const code = m?.currency_code ?? '';
  let symbol = '';
  try {
    symbol = new Intl.NumberFormat('en-US', { style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' })
      .formatToParts(0).find((p) => p.type === 'currency')?.value ?? '';
  } catch {
    symbol = '';
  }
  return `${symbol === code ? '' : symbol}${m?.value ?? ''} ${code}`;
}

function header(total: string): string {
  return `<header class="pp-header"><div class="pp-header-in">
<span class="pp-wordmark" aria-label="PayPal">Pay<span>Pal</span></span>
<span class="pp-cart">${esc(total)}<small>Sandbox checkout</small></span></div></header>`;
}

/** A PayPal-styled page with one short message; `html` must already be escaped. */
export function paypalMessagePage(title: string, html: string): string {
  const body = `${header('')}<main class="pp-main"><div class="pp-card pp-msg"><h1>${esc(title)}</h1>${html}</div></main>`;
  return hostedDocument({ title, provider: 'PayPal', css: PAYPAL_CSS, body });
}

function items(order: OrderRecord): string {
  const rows = (order.purchaseUnit.items ?? []).map((item) => {
    const unit = item.unit_amount as Money;
    return `<tr data-testid="line-item"><td>${esc(item.name)}<div class="qty">Qty ${esc(item.quantity)} × ${esc(money(unit))}</div></td>` +
      `<td class="num">${esc(money(lineTotal(unit, item.quantity)))}</td></tr>`;
  }).join('');
  return rows ? `<table class="pp-items">${rows}</table>` : '';
}

/** The line total (quantity × unit price) through the sandbox's PayPal money module. */
function lineTotal(unit: Money, quantity: unknown): Money {
  const qty = Number(quantity);
  if (!unit?.value || !unit.currency_code || !Number.isInteger(qty) || qty < 1) return unit;
  const minor = toMinor(unit.value, currencyDigits(unit.currency_code)) * BigInt(qty);
  return { value: fromMinor(minor, unit.currency_code), currency_code: unit.currency_code };
}

/**
 * The approval page at the order's `approve` link: who is paid, what for, with which funding
 * source, and a form posting `action=approve` or `action=cancel` with the order's token.
 */
export function paypalApprovalPage(order: OrderRecord): string {
  const unit = order.purchaseUnit;
  const total = money(unit.amount as Money);
  const merchant = order.brandName ?? unit.payee.email_address;
  const payer = DEFAULT_PAYER;
  const body = `${header(total)}<main class="pp-main">
<h1 class="pp-hi">Hi, ${esc(payer.name.given_name)}!</h1>
<section class="pp-card" aria-label="Order summary"><h2>Pay to</h2>
<div class="pp-merchant">${esc(merchant)}</div>${unit.description ? `<p class="pp-desc">${esc(unit.description)}</p>` : ''}
${items(order)}<div class="pp-total"><span>Total</span><span id="total">${esc(total)}</span></div></section>
<section class="pp-card" aria-label="Pay with"><h2>Pay with</h2>
<div class="pp-source"><span class="pp-radio" aria-hidden="true"></span><span><b>PayPal balance</b>
<small>${esc(`${payer.name.given_name} ${payer.name.surname}`)} · ${esc(payer.email_address)} (sandbox buyer, no login needed)</small></span></div></section>
<form method="post" action="/paypal/checkoutnow?token=${encodeURIComponent(order.id)}" class="pp-actions">
<input type="hidden" name="token" value="${esc(order.id)}">
<button class="pp-pay" type="submit" name="action" value="approve">Pay Now</button>
<button class="pp-cancel" type="submit" name="action" value="cancel">Cancel and return to ${esc(merchant)}</button>
</form>
<p class="pp-legal">Sandbox imitation of PayPal's approval page. Approving returns you to the merchant, who captures the payment.</p>
</main>`;
  return hostedDocument({ title: 'Pay with PayPal', provider: 'PayPal', css: PAYPAL_CSS, body });
}
