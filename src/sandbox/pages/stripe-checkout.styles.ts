/**
 * The look of Stripe's hosted Checkout, approximated with plain CSS: a two-column page with the
 * order summary on the left and the payment form on the right, Stripe's system font stack,
 * soft-bordered inputs and a purple pay button. Collapses to one column on narrow screens.
 */
export const STRIPE_CHECKOUT_CSS = `
body{font:14px/1.4 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Ubuntu,sans-serif;color:#1a1a1a;background:#fff}
.co{display:flex;min-height:calc(100vh - 30px)}
.co-summary{flex:1;display:flex;justify-content:flex-end;padding:48px 56px 32px;background:#fff}
.co-pay{flex:1;display:flex;justify-content:flex-start;padding:48px 56px 32px;background:#fff;box-shadow:-15px 0 30px -10px rgba(0,0,0,.08)}
.co-col{width:100%;max-width:380px}
.co-merchant{display:flex;align-items:center;gap:10px;font-weight:500;color:rgba(26,26,26,.9)}
.co-back{color:rgba(26,26,26,.5);text-decoration:none;font-size:18px;line-height:1}
.co-avatar{width:28px;height:28px;border-radius:50%;background:#e3e8ee;color:#4f566b;display:grid;place-items:center;font-weight:600;font-size:13px}
.co-test{background:#ffde92;color:#5c3b00;border-radius:4px;padding:1px 6px;font-size:11px;font-weight:600;letter-spacing:.04em}
.co-label{margin:32px 0 4px;color:rgba(26,26,26,.6);font-size:16px;font-weight:500}
.co-total{font-size:36px;font-weight:600;letter-spacing:-.02em;font-variant-numeric:tabular-nums}
.co-items{list-style:none;margin:32px 0 0;padding:0}
.co-item{display:flex;gap:14px;padding:0 0 20px}
.co-thumb{flex:none;width:42px;height:42px;border-radius:6px;background:linear-gradient(135deg,#e3e8ee,#cfd7df);color:#697386;display:grid;place-items:center;font-weight:600}
.co-item-main{flex:1;min-width:0}
.co-item-name{font-weight:500}
.co-item-qty,.co-item-desc{color:rgba(26,26,26,.5);font-size:12px}
.co-item-amount{font-weight:500;font-variant-numeric:tabular-nums;white-space:nowrap}
.co-sum-row{display:flex;justify-content:space-between;padding:12px 0 12px 56px;border-top:1px solid rgba(26,26,26,.1);font-weight:500}
.co-sum-row.total{font-weight:600}
.co-footer{margin-top:40px;color:rgba(26,26,26,.4);font-size:12px}
.co-footer b{color:rgba(26,26,26,.6);font-weight:700;letter-spacing:-.02em}
.co-h2{font-size:20px;font-weight:500;margin:0 0 20px}
.co-field{margin:0 0 16px}
.co-field>label,.co-fieldset>legend{display:block;margin:0 0 4px;color:rgba(26,26,26,.7);font-size:13px;font-weight:500;padding:0}
.co-fieldset{border:0;margin:0 0 16px;padding:0}
.co input{width:100%;font:inherit;font-size:15px;color:#1a1a1a;padding:9px 12px;border:0;background:#fff;
box-shadow:0 0 0 1px #e0e0e0,0 2px 4px rgba(0,0,0,.07);border-radius:6px;outline:none}
.co input:focus{position:relative;z-index:1;box-shadow:0 0 0 1px rgba(50,151,211,.7),0 0 0 4px rgba(50,151,211,.3)}
.co input[aria-invalid=true]{box-shadow:0 0 0 1px #df1b41}
.co-card-number{border-radius:6px 6px 0 0 !important}
.co-card-row{display:flex}
.co-card-row input{border-radius:0}
.co-card-row .exp{border-radius:0 0 0 6px}
.co-card-row .cvc{border-radius:0 0 6px 0}
.co-fieldset>legend{display:flex;justify-content:space-between;align-items:center;width:100%}
.co-brands{color:rgba(26,26,26,.45);font-size:11px;font-weight:600;letter-spacing:.04em}
.field-error{color:#df1b41;font-size:13px;margin-top:4px}
.co-alert{background:#fdf2f4;color:#a41c3a;border:1px solid #f6c6d1;border-radius:6px;padding:10px 12px;margin:0 0 16px}
.co-pay-btn{display:block;width:100%;margin-top:24px;height:44px;border:0;border-radius:6px;background:#635bff;color:#fff;
font:inherit;font-size:16px;font-weight:600;cursor:pointer;box-shadow:0 1px 1px rgba(0,0,0,.12),0 2px 5px rgba(60,66,87,.12)}
.co-pay-btn:hover{background:#5851ea}
.co-cancel-btn{display:block;margin:14px auto 0;border:0;background:none;color:rgba(26,26,26,.55);font:inherit;cursor:pointer;text-decoration:underline}
.co-hint{margin-top:20px;padding:10px 12px;border-radius:6px;background:#f6f8fa;color:#4f566b;font-size:12px}
.co-hint code{font:12px ui-monospace,Menlo,Consolas,monospace;color:#1a1a1a}
.co-msg{max-width:420px;margin:96px auto;padding:32px;text-align:center;border-radius:8px;box-shadow:0 0 0 1px #e3e8ee,0 7px 14px rgba(60,66,87,.08)}
.co-msg h1{font-size:20px;font-weight:600;margin:0 0 8px}.co-msg p{color:rgba(26,26,26,.6);margin:0}
@media (max-width:820px){.co{flex-direction:column}.co-summary,.co-pay{justify-content:center;padding:24px 20px;box-shadow:none}}
`;
