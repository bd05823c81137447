import { X509Certificate } from 'node:crypto';
import { ProviderError } from '../../domain/errors';
import { WebhookVerificationError } from '../../domain/providers/provider-events';
import { errorMessage } from './paypal.sdk';

/** PayPal's own hosts for webhook certificates (derived from observed deliveries; PayPal publishes no list). */
export const PAYPAL_CERT_HOSTS: ReadonlySet<string> = new Set(['api.paypal.com', 'api-m.paypal.com', 'api.sandbox.paypal.com', 'api-m.sandbox.paypal.com']);
const CERT_PATH = '/v1/notifications/certs/';
const MAX_CERT_BYTES = 64 * 1024;
const MAX_CACHED_CERTS = 32;
/** A certificate URL that failed is not fetched again for this long: a flood of bad deliveries costs one fetch. */
export const CERT_FAILURE_TTL_MS = 10_000;

export interface PayPalCertificateOptions {
  /** Subject CN the certificate must carry. */
  expectedCommonName: string;
  /** Origin of the built-in sandbox; its certificate URL is trusted only when this is set (sandbox mode). */
  sandboxOrigin?: string;
  certFetchTimeoutMs?: number;
}

/**
 * The certificates PayPal signs webhooks with: fetched only over https from PayPal's own API hosts
 * (the built-in sandbox's URL only in sandbox mode), without redirects, cached, and checked for
 * their validity dates and subject CN. A host that cannot be reached is a retryable ProviderError.
 */
export class PayPalCertificates {
  private readonly certs = new Map<string, Promise<X509Certificate>>();

  constructor(private readonly options: PayPalCertificateOptions) {}

  /** Only https URLs on PayPal's API hosts under /v1/notifications/certs/ (or the sandbox's own, in sandbox mode). */
  trustedUrl(raw: string): string {
    if (!URL.canParse(raw)) throw new WebhookVerificationError('PAYPAL-CERT-URL is not a URL');
    const url = new URL(raw);
    const clean = !url.username && !url.password && !url.search && !url.hash && url.pathname.startsWith(CERT_PATH) && !url.pathname.includes('..');
    const paypal = url.protocol === 'https:' && url.port === '' && PAYPAL_CERT_HOSTS.has(url.hostname);
    const sandbox = this.options.sandboxOrigin !== undefined && url.origin === this.options.sandboxOrigin;
    if (!clean || !(paypal || sandbox)) {
      throw new WebhookVerificationError(`PAYPAL-CERT-URL host ${url.host} is not trusted: certificates are fetched only over https from PayPal's API hosts under ${CERT_PATH}`);
    }
    return url.toString();
  }

  /** The certificate at a trusted URL, fetched once and cached; checked for its dates and CN at every use. */
  certificate(url: string): Promise<X509Certificate> {
    let cached = this.certs.get(url);
    if (!cached) {
      if (this.certs.size >= MAX_CACHED_CERTS) this.certs.delete(this.certs.keys().next().value as string);
      const fetched = this.fetchCertificate(url);
      cached = fetched;
      this.certs.set(url, fetched);
      fetched.catch(() => {
        const forget = setTimeout(() => this.certs.get(url) === fetched && this.certs.delete(url), CERT_FAILURE_TTL_MS);
        forget.unref();
      });
    }
    // Validity is checked at every use: a cached certificate can expire.
    return cached.then((cert) => this.checkCertificate(cert));
  }

  private async fetchCertificate(url: string): Promise<X509Certificate> {
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(this.options.certFetchTimeoutMs ?? 5000) });
    } catch (error) {
      throw new ProviderError(`PayPal's webhook certificate could not be fetched (${errorMessage(error)})`, 'PAYPAL', 'CERT_UNAVAILABLE', true);
    }
    if (response.status >= 500) throw new ProviderError(`PayPal's certificate host answered ${response.status}`, 'PAYPAL', 'CERT_UNAVAILABLE', true);
    if (response.status !== 200) throw new WebhookVerificationError(`PAYPAL-CERT-URL answered HTTP ${response.status}, not a certificate`);
    const text = await response.text();
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0];
    if (text.length > MAX_CERT_BYTES || !pem) throw new WebhookVerificationError('PAYPAL-CERT-URL did not serve a PEM certificate');
    try {
      return new X509Certificate(pem);
    } catch {
      throw new WebhookVerificationError('PAYPAL-CERT-URL served an unreadable certificate');
    }
  }

  private checkCertificate(cert: X509Certificate): X509Certificate {
    const now = Date.now();
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) {
      throw new WebhookVerificationError(`the webhook certificate is not valid now (valid ${cert.validFrom} – ${cert.validTo})`);
    }
    const cn = cert.subject.split('\n').find((line) => line.startsWith('CN='))?.slice(3);
    if (cn !== this.options.expectedCommonName) {
      throw new WebhookVerificationError(`the webhook certificate's subject CN ${cn ?? '(none)'} is not ${this.options.expectedCommonName}`);
    }
    return cert;
  }
}
