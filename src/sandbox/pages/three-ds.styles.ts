/**
 * The look of a card issuer's 3-D Secure challenge ("Complete authentication"): a dimmed merchant
 * page behind a small white bank dialog with the bank's wordmark, the payment details and two
 * large buttons, as the challenge iframe or redirect page of most issuers looks.
 */
export const THREE_DS_CSS = `
body{font:15px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2937;background:#525a66}
.tds-backdrop{min-height:calc(100vh - 30px);display:grid;place-items:center;padding:32px 16px;
background:repeating-linear-gradient(135deg,#5b636f 0 14px,#555d69 14px 28px)}
.tds{width:100%;max-width:420px;background:#fff;border-radius:10px;overflow:hidden;box-shadow:0 24px 60px rgba(0,0,0,.35)}
.tds-head{display:flex;justify-content:space-between;align-items:center;padding:14px 20px;border-bottom:1px solid #e5e7eb}
.tds-bank{font-weight:800;letter-spacing:.06em;color:#0b3d91;font-size:15px}
.tds-bank span{color:#c8102e}
.tds-scheme{font-size:11px;font-weight:700;letter-spacing:.08em;color:#6b7280;border:1px solid #d1d5db;border-radius:4px;padding:2px 6px}
.tds-body{padding:22px 24px 8px}
.tds-lock{position:relative;width:40px;height:40px;border-radius:50%;background:#e8effc;margin-bottom:12px}
.tds-lock::before{content:"";position:absolute;left:12px;top:8px;width:10px;height:10px;border:3px solid #0b3d91;border-bottom:0;border-radius:8px 8px 0 0}
.tds-lock::after{content:"";position:absolute;left:11px;top:18px;width:18px;height:13px;background:#0b3d91;border-radius:3px}
.tds h1{font-size:20px;margin:0 0 6px;color:#111827}
.tds-lead{margin:0 0 18px;color:#4b5563;font-size:14px}
.tds-details{width:100%;border-collapse:collapse;font-size:14px;margin-bottom:18px}
.tds-details th{text-align:left;font-weight:500;color:#6b7280;padding:7px 0;width:40%}
.tds-details td{text-align:right;font-weight:600;padding:7px 0;font-variant-numeric:tabular-nums}
.tds-details tr+tr th,.tds-details tr+tr td{border-top:1px solid #f0f1f3}
.tds-note{font-size:12px;color:#6b7280;background:#f9fafb;border:1px solid #eef0f2;border-radius:6px;padding:8px 10px;margin:0 0 16px}
.tds-actions{display:grid;gap:10px;padding:0 24px 22px}
.tds-actions button{height:46px;border-radius:6px;font:inherit;font-weight:600;cursor:pointer}
.tds-complete{background:#0b3d91;color:#fff;border:0}
.tds-complete:hover{background:#0a347c}
.tds-fail{background:#fff;color:#b91c1c;border:1px solid #e5b4b4}
.tds-foot{padding:12px 24px;border-top:1px solid #e5e7eb;font-size:12px;color:#9ca3af;display:flex;justify-content:space-between}
`;
