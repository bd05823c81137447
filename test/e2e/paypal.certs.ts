/**
 * Signing identities that are NOT the sandbox's: an RSA key and a self-signed X.509 certificate
 * made with node-forge, served from the test's own HTTP server, to prove that only PayPal's
 * certificate hosts (and the sandbox's own, in sandbox mode) are trusted.
 */
import { createSign, generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { signedMessage } from '../../src/sandbox/paypal/paypal.signing';

export interface TestIdentity {
  certPem: string;
  privateKey: KeyObject;
}

/** A key and certificate with the given subject CN and validity window. */
export function makeIdentity(options: { cn?: string; notBefore?: Date; notAfter?: Date } = {}): TestIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 24 * 3600_000);
  const subject = [{ name: 'commonName', value: options.cn ?? 'messageverificationcerts.sandbox.paypal.com' }, { name: 'organizationName', value: 'Not PayPal' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), privateKey };
}

/** PAYPAL-* headers for `body`, signed with `key` (any transmission time, webhook id and cert URL). */
export function signAs(key: KeyObject, body: string | Buffer, o: { webhookId: string; certUrl: string; time?: string; transmissionId?: string }): Record<string, string> {
  const id = o.transmissionId ?? randomUUID();
  const time = o.time ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const signer = createSign('RSA-SHA256');
  signer.update(signedMessage(id, time, o.webhookId, body), 'utf8');
  return {
    'PAYPAL-TRANSMISSION-ID': id,
    'PAYPAL-TRANSMISSION-TIME': time,
    'PAYPAL-TRANSMISSION-SIG': signer.sign(key, 'base64'),
    'PAYPAL-CERT-URL': o.certUrl,
    'PAYPAL-AUTH-ALGO': 'SHA256withRSA',
  };
}

/** A local HTTP server serving PEMs at `/v1/notifications/certs/<name>`; counts requests. */
export async function startCertServer(certs: Record<string, string>): Promise<{ origin: string; url(name: string): string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const name = /^\/v1\/notifications\/certs\/([^/?]+)$/.exec(req.url ?? '')?.[1];
    const pem = name ? certs[name] : undefined;
    if (!pem) res.writeHead(404).end('{}');
    else res.writeHead(200, { 'content-type': 'text/plain' }).end(pem);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (name) => `${origin}/v1/notifications/certs/${name}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
