/** Escape text for HTML element and attribute content. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A minimal, script-free page; `body` must already be escaped. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#1a1f36}
label{display:block;margin:.6rem 0 .2rem}input{width:100%;padding:.45rem;box-sizing:border-box}
.error{color:#c0123c}.field-error{color:#c0123c;font-size:.9em}button{margin:1rem .5rem 0 0;padding:.5rem 1rem}
table{width:100%;border-collapse:collapse}td{padding:.25rem 0}td.amount{text-align:right}.sandbox{font-size:.8em;color:#697386}</style>
</head><body>
<p class="sandbox">Stripe sandbox (test mode) — no real payment is made.</p>
${body}
</body></html>`;
}
