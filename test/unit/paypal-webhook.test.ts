import { readFileSync } from 'node:fs';
import { ProviderError } from '../../src/domain/errors';
import { PayPalClient } from '../../src/providers/paypal/paypal.client';
import { PayPalWebhookVerifier, crc32Unsigned, signedMessage } from '../../src/providers/paypal/paypal.webhook';
import { WebhookVerificationError } from '../../src/domain/providers/provider-events';
import { makeIdentity, signAs, startCertServer } from '../e2e/paypal.certs';
import { reference } from '../helpers/reference';

const BODY = readFileSync(reference('paypal', 'events', 'PAYMENT.CAPTURE.COMPLETED.json'));
const WEBHOOK_ID = '1JE4291016473214C';

describe('the signed message', () => {
  it('uses the unsigned CRC32 of the exact bytes (the README test vector, > 2^31)', () => {
    expect(BODY.length).toBe(1895);
    expect(crc32Unsigned(BODY)).toBe('4105353325');
    expect(signedMessage('69cd13f0-d67a-11e5-baa3-778b53f4ae55', '2016-02-18T20:01:35Z', WEBHOOK_ID, BODY))
      .toBe('69cd13f0-d67a-11e5-baa3-778b53f4ae55|2016-02-18T20:01:35Z|1JE4291016473214C|4105353325');
  });
});

describe('certificate checks (a trusted certificate host served by the test)', () => {
  const good = makeIdentity();
  const expired = makeIdentity({ notBefore: new Date(Date.now() - 3 * 86400_000), notAfter: new Date(Date.now() - 86400_000) });
  const wrongName = makeIdentity({ cn: 'evil.example.com' });
  let certs: Awaited<ReturnType<typeof startCertServer>>;
  let verifier: PayPalWebhookVerifier;

  beforeAll(async () => {
    certs = await startCertServer({ good: good.certPem, expired: expired.certPem, wrong: wrongName.certPem, junk: 'not a certificate' });
    const unused = new PayPalClient({ clientId: 'x', clientSecret: 'y', baseUrl: 'http://127.0.0.1:9', webUrl: 'http://127.0.0.1:9' });
    verifier = new PayPalWebhookVerifier({ webhookId: WEBHOOK_ID, method: 'cert', expectedCommonName: 'messageverificationcerts.sandbox.paypal.com', sandboxOrigin: certs.origin }, unused);
  });

  afterAll(async () => {
    await certs.close();
  });

  async function refusal(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(WebhookVerificationError);
      return (error as Error).message;
    }
    throw new Error('expected a WebhookVerificationError');
  }

  it('accepts a good signature and fetches the certificate once (cached)', async () => {
    const before = certs.requests.length;
    for (let i = 0; i < 3; i++) await verifier.verify(BODY, lower(signAs(good.privateKey, BODY, { webhookId: WEBHOOK_ID, certUrl: certs.url('good') })));
    expect(certs.requests.length - before).toBe(1);
  });

  it('refuses an expired certificate', async () => {
    expect(await refusal(verifier.verify(BODY, lower(signAs(expired.privateKey, BODY, { webhookId: WEBHOOK_ID, certUrl: certs.url('expired') }))))).toMatch(/not valid now/);
  });

  it('refuses a certificate whose subject is not messageverificationcerts', async () => {
    expect(await refusal(verifier.verify(BODY, lower(signAs(wrongName.privateKey, BODY, { webhookId: WEBHOOK_ID, certUrl: certs.url('wrong') }))))).toMatch(/subject CN evil\.example\.com/);
  });

  it('refuses a URL that serves no certificate, and an unknown certificate id', async () => {
    expect(await refusal(verifier.verify(BODY, lower(signAs(good.privateKey, BODY, { webhookId: WEBHOOK_ID, certUrl: certs.url('junk') }))))).toMatch(/did not serve a PEM certificate/);
    expect(await refusal(verifier.verify(BODY, lower(signAs(good.privateKey, BODY, { webhookId: WEBHOOK_ID, certUrl: certs.url('missing') }))))).toMatch(/answered HTTP 404/);
  });

  it('a transmission from the future is refused', async () => {
    const time = new Date(Date.now() + 3600_000).toISOString();
    expect(await refusal(verifier.verify(BODY, lower(signAs(good.privateKey, BODY, { webhookId: WEBHOOK_ID, certUrl: certs.url('good'), time }))))).toMatch(/in the future/);
  });

  it('an unreachable certificate host is a retryable provider error (500, PayPal retries), not a 400', async () => {
    const offline = new PayPalWebhookVerifier({ webhookId: WEBHOOK_ID, method: 'cert', expectedCommonName: 'x', sandboxOrigin: 'http://127.0.0.1:9' }, new PayPalClient({ clientId: 'x', clientSecret: 'y', baseUrl: 'http://127.0.0.1:9', webUrl: 'http://127.0.0.1:9' }));
    const attempt = offline.verify(BODY, lower(signAs(good.privateKey, BODY, { webhookId: WEBHOOK_ID, certUrl: 'http://127.0.0.1:9/v1/notifications/certs/CERT-1' })));
    await expect(attempt).rejects.toBeInstanceOf(ProviderError);
    await expect(attempt).rejects.toMatchObject({ retryable: true });
  });
});

describe('checks before any certificate is fetched, and replays', () => {
  const good = makeIdentity();
  let certs: Awaited<ReturnType<typeof startCertServer>>;
  let verifier: PayPalWebhookVerifier;

  beforeAll(async () => {
    certs = await startCertServer({ good: good.certPem });
    const unused = new PayPalClient({ clientId: 'x', clientSecret: 'y', baseUrl: 'http://127.0.0.1:9', webUrl: 'http://127.0.0.1:9' });
    verifier = new PayPalWebhookVerifier({ webhookId: WEBHOOK_ID, method: 'cert', expectedCommonName: 'messageverificationcerts.sandbox.paypal.com', sandboxOrigin: certs.origin }, unused);
  });

  afterAll(async () => {
    await certs.close();
  });

  it.each<[string, (h: Record<string, string>) => void, RegExp]>([
    ['a malformed transmission id', (h) => (h['paypal-transmission-id'] = '../../etc'), /PAYPAL-TRANSMISSION-ID is not a PayPal transmission id/],
    ['a signature that is not base64', (h) => (h['paypal-transmission-sig'] = 'not base64!'), /PAYPAL-TRANSMISSION-SIG is not a base64 signature/],
    ['a stale transmission time', (h) => (h['paypal-transmission-time'] = '2020-01-01T00:00:00Z'), /too old/],
  ])('refuses %s without fetching the certificate', async (_what, spoil, message) => {
    const headers = lower(signAs(good.privateKey, BODY, { webhookId: WEBHOOK_ID, certUrl: certs.url('never-fetched') }));
    spoil(headers);
    await expect(verifier.verify(BODY, headers)).rejects.toThrow(message);
    expect(certs.requests.filter((r) => r.includes('never-fetched'))).toEqual([]);
  });

  it('remembers a failed certificate fetch briefly instead of fetching it for every delivery', async () => {
    const headers = () => lower(signAs(good.privateKey, BODY, { webhookId: WEBHOOK_ID, certUrl: certs.url('missing-cert') }));
    for (let i = 0; i < 5; i++) await expect(verifier.verify(BODY, headers())).rejects.toThrow(/answered HTTP 404/);
    expect(certs.requests.filter((r) => r.includes('missing-cert'))).toHaveLength(1);
  });

  it('refuses a second, different body under a transmission id that already signed one; the same body again passes', async () => {
    const headers = lower(signAs(good.privateKey, BODY, { webhookId: WEBHOOK_ID, certUrl: certs.url('good') }));
    await verifier.verify(BODY, headers);
    await verifier.verify(BODY, headers);
    const other = Buffer.from(BODY.toString().replace('"COMPLETED"', '"COMPLETED" '));
    await expect(verifier.verify(other, headers)).rejects.toThrow(/already signed another body/);
  });
});

/** Node lower-cases incoming header names; the verifier reads them as Node hands them over. */
function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
