import { startTestSandbox } from '../helpers/sandbox.helpers';
import type { RunningSandbox } from '../../src/sandbox/core/sandbox.types';

/** The sandbox's base URL explains itself, and the control examples it shows work as printed. */
describe('GET / on the sandbox', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('lists what it emulates, its hosted pages and its controls, marked SANDBOX', async () => {
    const res = await fetch(`${sandbox.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('SANDBOX');
    for (const text of ['POST /v1/payment_intents', 'POST /v2/checkout/orders/:id/capture', '/stripe/checkout/pay/', '/__sandbox/stripe/disputes', '/__sandbox/webhooks/redeliver', '/__sandbox/faults']) {
      expect(html).toContain(text);
    }
    expect(html).not.toMatch(/<script/i);
  });

  it('every example without a placeholder id runs as printed', async () => {
    const html = await (await fetch(`${sandbox.url}/`)).text();
    const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const curls = [...html.matchAll(/<code>(curl -s -X [^<]+)<\/code>/g)].map((m) => decode(m[1])).filter((c) => !c.includes(':id') && !c.includes('…'));
    expect(curls.length).toBeGreaterThanOrEqual(6);
    for (const curl of curls) {
      const [, method, url, body] = /^curl -s -X (\S+) (\S+)(?: -H 'content-type: application\/json' -d '(.*)')?$/.exec(curl)!;
      expect(url.startsWith(sandbox.url)).toBe(true);
      const res = await fetch(url, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body } : {}) });
      expect(res.status < 300 ? 'ok' : `${curl} → ${res.status} ${await res.text()}`).toBe('ok');
    }
  });
});
