import { createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';
import forge from 'node-forge';
import { paypalTime, transmissionId } from './paypal.ids';

/** The subject CN PayPal's SDKs require of a sandbox webhook-signing certificate. */
export const CERT_COMMON_NAME = 'messageverificationcerts.sandbox.paypal.com';

/** The RSA key pair and self-issued X.509 certificate the emulator signs webhooks with. */
export interface SigningIdentity {
  /** `CERT-<8 hex>-<8 hex>-<8 hex>`, the last segment of the cert URL. */
  certId: string;
  certPem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

let identity: SigningIdentity | undefined;

/**
 * The signing identity, created once per process on first use: node:crypto
 * makes the key (fast, native), node-forge wraps it in a certificate valid
 * from now for one year. Sharing it across sandbox instances keeps test
 * start-up cheap; every instance serves the same PEM at its own cert URL.
 */
export function signingIdentity(): SigningIdentity {
  if (identity) return identity;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000);
  const subject = [
    { name: 'commonName', value: CERT_COMMON_NAME },
    { name: 'organizationName', value: 'PayPal, Inc. (provider sandbox)' },
    { name: 'countryName', value: 'US' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  const segment = () => randomBytes(4).toString('hex');
  identity = { certId: `CERT-${segment()}-${segment()}-${segment()}`, certPem: forge.pki.certificateToPem(cert), privateKey, publicKey };
  return identity;
}

/** CRC-32 (zlib polynomial) of the exact body bytes, as an unsigned decimal string. */
export function crc32Unsigned(body: string | Buffer): string {
  return String(crc32(body) >>> 0);
}

/** `transmission_id|transmission_time|webhook_id|crc32` — the message PayPal signs. */
export function signedMessage(transmission: string, time: string, webhookId: string, body: string | Buffer): string {
  return `${transmission}|${time}|${webhookId}|${crc32Unsigned(body)}`;
}

/** The five `PAYPAL-*` headers of one delivery attempt. */
export function signWebhook(body: string, webhookId: string, certUrl: string): Record<string, string> {
  const id = transmissionId();
  const time = paypalTime();
  const signer = createSign('RSA-SHA256');
  signer.update(signedMessage(id, time, webhookId, body), 'utf8');
  return {
    'PAYPAL-TRANSMISSION-ID': id,
    'PAYPAL-TRANSMISSION-TIME': time,
    'PAYPAL-TRANSMISSION-SIG': signer.sign(signingIdentity().privateKey, 'base64'),
    'PAYPAL-CERT-URL': certUrl,
    'PAYPAL-AUTH-ALGO': 'SHA256withRSA',
  };
}

/** Checks a `PAYPAL-TRANSMISSION-SIG` against the emulator's own public key. */
export function verifyTransmission(message: string, signatureBase64: string): boolean {
  const verifier = createVerify('RSA-SHA256');
  verifier.update(message, 'utf8');
  try {
    return verifier.verify(signingIdentity().publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
