import type { TestCard } from '../stripe/stripe.cards';
import { formatAmount } from '../stripe/stripe.money';
import type { PaymentIntentRecord } from '../stripe/stripe.store';
import { esc, hostedDocument, merchantLabel } from './html';
import { THREE_DS_CSS } from './three-ds.styles';

function details(pi: PaymentIntentRecord, card: TestCard | undefined): string {
  const rows: [string, string][] = [
    ['Merchant', esc(merchantLabel(pi.returnUrl))],
    ['Amount', `<span id="amount">${esc(formatAmount(pi.obj.amount, pi.obj.currency))}</span>`],
    ['Date', esc(new Date().toISOString().slice(0, 10))],
  ];
  if (card) rows.push(['Card', `${esc(card.brand.toUpperCase())} •••• ${esc(card.number.slice(-4))}`]);
  return `<table class="tds-details">${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('')}</table>`;
}

/**
 * The 3-D Secure challenge: the form posts `action=complete` or `action=fail` with the
 * PaymentIntent's client secret, as the sandbox's authentication route expects.
 */
export function threeDsChallengePage(pi: PaymentIntentRecord, card: TestCard | undefined): string {
  const body = `<main class="tds-backdrop"><div class="tds" role="dialog" aria-labelledby="tds-title">
<div class="tds-head"><span class="tds-bank">SANDBOX<span>BANK</span></span><span class="tds-scheme">3-D SECURE 2</span></div>
<div class="tds-body"><div class="tds-lock" aria-hidden="true"></div>
<h1 id="tds-title">Complete authentication</h1>
<p class="tds-lead">Your bank needs to confirm it is you making this payment.</p>
${details(pi, card)}
<p class="tds-note">Sandbox test page: no code is sent. Complete to approve the payment, Fail to decline authentication.</p></div>
<form method="post" class="tds-actions"><input type="hidden" name="client_secret" value="${esc(pi.obj.client_secret)}">
<button class="tds-complete" type="submit" name="action" value="complete">Complete authentication</button>
<button class="tds-fail" type="submit" name="action" value="fail">Fail authentication</button></form>
<div class="tds-foot"><span>Secured by Sandbox Bank</span><span>Help</span></div>
</div></main>`;
  return hostedDocument({ title: 'Complete authentication', provider: '3-D Secure', css: THREE_DS_CSS, body });
}
