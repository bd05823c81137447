import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { WebhookVerificationError } from '../../src/domain/providers/provider-events';
import { verifyStripeWebhook } from '../../src/providers/stripe/stripe.webhook';

const secret = 'whsec_unit_0123456789abcdef';
const stripe = new Stripe('sk_test_unit_verify');
const now = () => Math.floor(Date.now() / 1000);
const event = (extra: Record<string, unknown> = {}) => JSON.stringify({ id: 'evt_unit_1', object: 'event', type: 'checkout.session.completed', data: { object: { id: 'cs_1' } }, ...extra });

/** `t=…,v1=…` as Stripe signs: HMAC-SHA256 of `t.` followed by the signed text. */
const sign = (text: string | Buffer, t = now(), key = secret) => `t=${t},v1=${createHmac('sha256', key).update(`${t}.`).update(text).digest('hex')}`;

type Outcome = { ok: true; id: string; type: string } | { ok: false };

function sdkOutcome(body: Buffer, header: string): Outcome {
  try {
    const e = stripe.webhooks.constructEvent(body, header, secret, 300);
    return { ok: true, id: e.id, type: e.type };
  } catch {
    return { ok: false };
  }
}

function ourOutcome(body: Buffer, header: string): Outcome {
  try {
    const v = verifyStripeWebhook(stripe, secret, body, { 'stripe-signature': header });
    return { ok: true, id: v.eventId, type: v.type };
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return { ok: false };
  }
}

/**
 * The ingest path verifies with the SDK's `webhooks.signature.verifyHeader` on the body decoded
 * once and parses it once, instead of `constructEvent` on the bytes: it must accept and refuse
 * exactly what `constructEvent` does, and name the same event.
 */
describe('verifyStripeWebhook agrees with the SDK’s constructEvent', () => {
  const body = Buffer.from(event());
  const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
  const badUtf8 = Buffer.from(event({ note: 'caf\u00e9' }).replace('caf\u00e9', 'caf\udc80X'), 'latin1');
  const cases: [string, Buffer, string][] = [
    ['a valid signature', body, sign(body)],
    ['several v1 signatures, the second one right', body, `${sign(body).replace(/v1=\w+/, 'v1=' + '0'.repeat(64))},v1=${sign(body).split('v1=')[1]}`],
    ['a v0 signature only', body, sign(body).replace('v1=', 'v0=')],
    ['the wrong secret', body, sign(body, now(), 'whsec_other')],
    ['a signature 299 s old', body, sign(body, now() - 299)],
    ['a signature 301 s old', body, sign(body, now() - 301)],
    ['a tampered body', Buffer.from(event({ id: 'evt_unit_2' })), sign(body)],
    ['a body with a byte order mark, signed over the text after it', bom, sign(body)],
    ['a body with a byte order mark, signed over every byte', bom, sign(bom)],
    ['bytes that are not UTF-8, signed over their decoded text', badUtf8, sign(new TextDecoder().decode(badUtf8))],
    ['bytes that are not UTF-8, signed over the bytes', badUtf8, sign(badUtf8)],
    ['a signed body that is not JSON', Buffer.from('not json'), sign('not json')],
    ['a signed thin event notification', Buffer.from(event({ object: 'v2.core.event' })), sign(event({ object: 'v2.core.event' }))],
    ['a header without a timestamp', body, `v1=${sign(body).split('v1=')[1]}`],
  ];

  it.each(cases)('%s', (_name, raw, header) => {
    expect(ourOutcome(raw, header)).toEqual(sdkOutcome(raw, header));
  });

  it('accepts what it should in this table (the table is not all refusals)', () => {
    const accepted = cases.filter(([, raw, header]) => sdkOutcome(raw, header).ok).map(([name]) => name);
    expect(accepted).toEqual(expect.arrayContaining(['a valid signature', 'several v1 signatures, the second one right', 'a signature 299 s old', 'a body with a byte order mark, signed over the text after it']));
  });

  it('says what was wrong: a signed body that is not JSON is not a signature problem', () => {
    expect(() => verifyStripeWebhook(stripe, secret, Buffer.from('not json'), { 'stripe-signature': sign('not json') })).toThrow(/^Signed body is not JSON: /);
    expect(() => verifyStripeWebhook(stripe, secret, body, { 'stripe-signature': sign(body, now(), 'whsec_other') })).toThrow(/^Stripe-Signature rejected: /);
  });

  it('hands back the body as text (stored as received) and refuses what constructEvent accepts but we do not: a timestamp far in the future', () => {
    expect(verifyStripeWebhook(stripe, secret, bom, { 'stripe-signature': sign(body) }).body).toBe(bom.toString('utf8'));
    const future = sign(body, now() + 3600);
    expect(sdkOutcome(body, future).ok).toBe(true);
    expect(() => verifyStripeWebhook(stripe, secret, body, { 'stripe-signature': future })).toThrow(/in the future/);
  });
});
