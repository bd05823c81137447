/**
 * The shell every hosted sandbox page is rendered in: one escaping function, a strict
 * Content-Security-Policy (inline styles only, no script, nothing fetched from anywhere, not
 * even a favicon) and the SANDBOX banner, so a demo can never be mistaken for a real payment.
 */

/** Escapes text for HTML element and attribute content. Every interpolated value goes through it. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * The merchant as a hosted page names it. The sandbox knows no business name, so the host name of
 * the merchant's return URL, or a neutral name for localhost or a bare IP address (development).
 */
export function merchantLabel(returnUrl: string | null | undefined): string {
  const host = returnUrl && URL.canParse(returnUrl) ? new URL(returnUrl).hostname : '';
  return !host || host === 'localhost' || /^[\d.]+$|:/.test(host) ? 'Sandbox merchant' : host;
}

/** Nothing but inline styles and data: images may load; forms still post to the sandbox. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'";

const BANNER_CSS = `*{box-sizing:border-box}
body{margin:0;-webkit-font-smoothing:antialiased}
.sandbox-banner{position:sticky;top:0;z-index:10;display:flex;justify-content:center;align-items:center;gap:.6rem;
padding:.4rem 1rem;background:#ffde92;color:#5c3b00;font:600 12px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
letter-spacing:.02em;border-bottom:1px solid #f5c451;text-align:center}
.sandbox-banner strong{background:#5c3b00;color:#ffde92;border-radius:3px;padding:.05rem .4rem;letter-spacing:.08em}`;

/** A hosted page: `css` is the provider look, `body` must already be escaped. */
export interface HostedPage {
  title: string;
  /** Who the page imitates, named in the banner and the tab title ("Stripe", "PayPal", …). */
  provider: string;
  css: string;
  body: string;
}

/** The SANDBOX banner shown at the top of every hosted page. */
export function sandboxBanner(provider: string): string {
  return `<div class="sandbox-banner" id="sandbox-banner" role="note"><strong>SANDBOX</strong>` +
    `<span>${esc(provider)} test page served by the built-in provider sandbox — no real payment is made.</span></div>`;
}

/** The complete HTML document of a hosted page. */
export function hostedDocument(p: HostedPage): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${esc(CSP)}">
<link rel="icon" href="data:,">
<title>${esc(p.title)} · ${esc(p.provider)} (sandbox)</title>
<style>${BANNER_CSS}
${p.css}</style>
</head><body>
${sandboxBanner(p.provider)}
${p.body}
</body></html>`;
}
