import { createHash, verify as verifySignature } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { ProviderError } from '../../domain/errors';
import { WebhookVerificationError } from '../../domain/providers/provider-events';
import type { PayPalClient } from './paypal.client';
import { errorMessage, isSdkHttpError } from './paypal.sdk';
import { PayPalCertificates } from './paypal.webhook-certs';

type Headers = Record<string, string | string[] | undefined>;

/** Transmission ids remembered (with their body's hash) for at most this many deliveries. */
const MAX_REMEMBERED_TRANSMISSIONS = 100_000;
const TRANSMISSION_ID = /^[A-Za-z0-9-]{1,100}$/;
const BASE64 = /^[A-Za-z0-9+/]{16,2048}={0,2}$/;

export interface PayPalWebhookVerifierOptions {
  /** Our webhook subscription id (PAYPAL_WEBHOOK_ID): part of every signed message. */
  webhookId: string;
  /** `cert`: verify here with the certificate; `api`: ask PayPal's verify-webhook-signature. */
  method: 'cert' | 'api';
  /** Subject CN the certificate must carry. */
  expectedCommonName: string;
  /** Origin of the built-in sandbox; its certificate URL is trusted only when this is set (sandbox mode). */
  sandboxOrigin?: string;
  /** Oldest PAYPAL-TRANSMISSION-TIME accepted, so a captured delivery cannot be replayed later. */
  maxAgeMs?: number;
  /** How far in the future a transmission time may be (clock skew). */
  maxSkewMs?: number;
  certFetchTimeoutMs?: number;
}

/** The five PAYPAL-* headers of a delivery. */
interface Transmission {
  id: string;
  time: string;
  signature: string;
  certUrl: string;
  algorithm: string;
}

/** CRC-32 (zlib polynomial) of the exact bytes as an unsigned decimal: 4105353325, never -189613971. */
export function crc32Unsigned(body: Buffer): string {
  return String(crc32(body) >>> 0);
}

/** The message PayPal signs: `transmission_id|transmission_time|webhook_id|crc32(body)`. */
export function signedMessage(transmissionId: string, transmissionTime: string, webhookId: string, body: Buffer): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${crc32Unsigned(body)}`;
}

function header(headers: Headers, name: string): string {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) throw new WebhookVerificationError(`header ${name} was sent more than once`);
  if (!value) throw new WebhookVerificationError(`missing header ${name}`);
  return value;
}

/**
 * Verifies PayPal webhook deliveries (CONTRACT §3). `cert`: the signature over
 * `transmission_id|transmission_time|webhook_id|crc32` is checked with the certificate at
 * PAYPAL-CERT-URL, which is fetched only over https from PayPal's own API hosts (the built-in
 * sandbox's URL only in sandbox mode), without redirects, cached, and checked for its validity
 * dates and subject CN. `api`: PayPal's verify-webhook-signature is asked instead. Every refusal is
 * a WebhookVerificationError naming what failed (→ 400); a certificate host that cannot be reached
 * is a retryable ProviderError (→ 500, PayPal retries).
 */
export class PayPalWebhookVerifier {
  private readonly certs: PayPalCertificates;
  /** transmission id → sha256 of the body it signed, oldest first (Map keeps insertion order). */
  private readonly transmissions = new Map<string, { bodyHash: string; at: number }>();

  constructor(private readonly options: PayPalWebhookVerifierOptions, private readonly client: PayPalClient) {
    this.certs = new PayPalCertificates(options);
  }

  async verify(rawBody: Buffer, headers: Headers): Promise<void> {
    const t: Transmission = {
      id: header(headers, 'PAYPAL-TRANSMISSION-ID'),
      time: header(headers, 'PAYPAL-TRANSMISSION-TIME'),
      signature: header(headers, 'PAYPAL-TRANSMISSION-SIG'),
      certUrl: header(headers, 'PAYPAL-CERT-URL'),
      algorithm: header(headers, 'PAYPAL-AUTH-ALGO'),
    };
    // Everything that costs nothing is checked before anything is fetched from anywhere.
    if (t.algorithm !== 'SHA256withRSA') throw new WebhookVerificationError(`PAYPAL-AUTH-ALGO ${t.algorithm.slice(0, 40)} is not SHA256withRSA`);
    if (!TRANSMISSION_ID.test(t.id)) throw new WebhookVerificationError('PAYPAL-TRANSMISSION-ID is not a PayPal transmission id');
    if (!BASE64.test(t.signature)) throw new WebhookVerificationError('PAYPAL-TRANSMISSION-SIG is not a base64 signature');
    this.checkTime(t.time);
    const bodyHash = createHash('sha256').update(rawBody).digest('base64url');
    this.checkNotReplayed(t.id, bodyHash);
    if (this.options.method === 'api') {
      await this.verifyWithApi(rawBody, t);
      this.remember(t.id, bodyHash);
      return;
    }
    const cert = await this.certs.certificate(this.certs.trustedUrl(t.certUrl));
    const message = signedMessage(t.id, t.time, this.options.webhookId, rawBody);
    const ok = verifySignature('RSA-SHA256', Buffer.from(message, 'utf8'), cert.publicKey, Buffer.from(t.signature, 'base64'));
    if (!ok) {
      throw new WebhookVerificationError(
        `signature mismatch: PAYPAL-TRANSMISSION-SIG does not sign transmission id, time, webhook id ${this.options.webhookId} and this body's CRC32 with the certificate's key`,
      );
    }
    this.remember(t.id, bodyHash);
  }

  /**
   * PayPal signs only the body's CRC-32, and a different body with the same CRC-32 is easy to make:
   * a transmission id that already signed one body never signs another (the same body again is
   * a redelivery and passes; the inbox deduplicates it by event id).
   */
  private checkNotReplayed(id: string, bodyHash: string): void {
    const seen = this.transmissions.get(id);
    if (seen && seen.bodyHash !== bodyHash) {
      throw new WebhookVerificationError(`PAYPAL-TRANSMISSION-ID ${id} already signed another body; a transmission is never reused for a different event`);
    }
  }

  private remember(id: string, bodyHash: string): void {
    const maxAge = this.options.maxAgeMs ?? 6 * 3600_000;
    const now = Date.now();
    // Ids older than the accepted transmission age cannot come back (checkTime refuses them).
    for (const [key, value] of this.transmissions) {
      if (now - value.at <= maxAge + (this.options.maxSkewMs ?? 5 * 60_000) && this.transmissions.size < MAX_REMEMBERED_TRANSMISSIONS) break;
      this.transmissions.delete(key);
    }
    this.transmissions.set(id, { bodyHash, at: now });
  }

  private checkTime(time: string): void {
    const at = Date.parse(time);
    if (!/^\d{4}-\d\d-\d\dT/.test(time) || Number.isNaN(at)) throw new WebhookVerificationError(`PAYPAL-TRANSMISSION-TIME '${time.slice(0, 40)}' is not an RFC 3339 date-time`);
    const age = Date.now() - at;
    if (age > (this.options.maxAgeMs ?? 6 * 3600_000)) throw new WebhookVerificationError(`PAYPAL-TRANSMISSION-TIME ${time} is too old; a stale delivery is not accepted`);
    if (-age > (this.options.maxSkewMs ?? 5 * 60_000)) throw new WebhookVerificationError(`PAYPAL-TRANSMISSION-TIME ${time} is in the future`);
  }

  /** PayPal's postback check. It needs the parsed event, which PayPal re-serialises on its side. */
  private async verifyWithApi(rawBody: Buffer, t: Transmission): Promise<void> {
    let event: unknown;
    try {
      event = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new WebhookVerificationError('the body is not JSON');
    }
    let status: unknown;
    try {
      const response = await this.client.execute<{ verification_status?: string }>({
        path: '/v1/notifications/verify-webhook-signature',
        verb: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: {
          auth_algo: t.algorithm, cert_url: t.certUrl, transmission_id: t.id, transmission_sig: t.signature,
          transmission_time: t.time, webhook_id: this.options.webhookId, webhook_event: event,
        },
      });
      status = response.result?.verification_status;
    } catch (error) {
      if (isSdkHttpError(error) && error.statusCode < 500 && error.statusCode !== 401 && error.statusCode !== 429) {
        throw new WebhookVerificationError(`PayPal's verify-webhook-signature refused the delivery (HTTP ${error.statusCode})`);
      }
      throw new ProviderError(`PayPal's verify-webhook-signature could not be reached (${errorMessage(error).slice(0, 200)})`, 'PAYPAL', 'VERIFY_UNAVAILABLE', true);
    }
    if (status !== 'SUCCESS') {
      throw new WebhookVerificationError(`PayPal's verify-webhook-signature answered ${String(status)} for webhook id ${this.options.webhookId}`);
    }
  }
}
