/**
 * The look of PayPal's hosted approval ("review your payment") page: a white header with a text
 * wordmark and the cart total, a narrow centred column of cards on a pale grey page, and PayPal's
 * rounded blue primary button.
 */
export const PAYPAL_CSS = `
body{font:15px/1.5 "Helvetica Neue",Helvetica,Arial,sans-serif;color:#2c2e2f;background:#f5f7fa}
.pp-header{background:#fff;border-bottom:1px solid #e6e9eb}
.pp-header-in{max-width:480px;margin:0 auto;padding:14px 20px;display:flex;justify-content:space-between;align-items:center}
.pp-wordmark{font:italic 800 26px/1 Verdana,"DejaVu Sans",sans-serif;letter-spacing:-.04em;color:#003087}
.pp-wordmark span{color:#009cde}
.pp-cart{font-size:14px;color:#2c2e2f;text-align:right}
.pp-cart small{display:block;color:#6c7378;font-size:12px}
.pp-main{max-width:480px;margin:0 auto;padding:20px 20px 40px}
.pp-hi{font-size:24px;font-weight:400;margin:8px 0 16px}
.pp-card{background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.08);padding:18px 20px;margin-bottom:14px}
.pp-card h2{font-size:13px;font-weight:700;text-transform:uppercase;letter-spacing:.06em;color:#6c7378;margin:0 0 10px}
.pp-merchant{font-weight:700}
.pp-desc{color:#6c7378;font-size:14px;margin:2px 0 0}
.pp-items{width:100%;border-collapse:collapse;font-size:14px}
.pp-items td{padding:6px 0;vertical-align:top}
.pp-items td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.pp-items .qty{color:#6c7378;font-size:12px}
.pp-total{display:flex;justify-content:space-between;align-items:baseline;border-top:1px solid #e6e9eb;margin-top:8px;padding-top:10px;font-weight:700}
.pp-total #total{font-size:18px}
.pp-source{display:flex;gap:12px;align-items:center}
.pp-radio{flex:none;width:20px;height:20px;border-radius:50%;border:6px solid #0070ba}
.pp-source b{display:block}
.pp-source small{color:#6c7378}
.pp-actions{margin-top:20px;display:grid;gap:12px}
.pp-pay{height:48px;border:0;border-radius:24px;background:#0070ba;color:#fff;font:inherit;font-size:17px;font-weight:700;cursor:pointer}
.pp-pay:hover{background:#005ea6}
.pp-cancel{border:0;background:none;color:#0070ba;font:inherit;font-size:14px;font-weight:700;cursor:pointer}
.pp-legal{color:#6c7378;font-size:12px;text-align:center;margin-top:18px}
.pp-msg{text-align:center}
.pp-msg h1{font-size:22px;font-weight:400;margin:0 0 8px}
`;
