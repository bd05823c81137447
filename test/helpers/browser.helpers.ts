/**
 * Real-browser tests: Debian's headless Chromium driven by playwright-core against the real
 * service (with its in-process sandbox). One browser per test file; every page records console
 * errors and uncaught exceptions so a test can assert there were none; screenshots go to
 * test-artifacts/browser/ (gitignored).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { eventually, startTestService, type TestService } from './service.helpers';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', 'test-artifacts', 'browser');

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Something that went wrong inside a page: a console error or an uncaught exception. */
export interface PageProblem {
  kind: 'console' | 'pageerror';
  text: string;
  url: string;
}

/** A browser context (its own storage, like a separate person) with one page. */
export interface Visitor {
  context: BrowserContext;
  page: Page;
}

/** The service, its sandbox and one Chromium, shared by the tests of one file. */
export class BrowserSuite {
  private readonly problems: PageProblem[] = [];
  private readonly contexts: BrowserContext[] = [];

  private constructor(readonly ts: TestService, readonly browser: Browser) {}

  /** Starts the service (sandbox on, storefront on) and Chromium; closes the service if Chromium fails. */
  static async start(env: Record<string, string> = {}): Promise<BrowserSuite> {
    const ts = await startTestService({ STOREFRONT: 'on', ...env });
    try {
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
      return new BrowserSuite(ts, browser);
    } catch (error) {
      await ts.close();
      throw error;
    }
  }

  get url(): string {
    return this.ts.url;
  }

  /** The sandbox's base URL (hosted Stripe/PayPal pages and `/__sandbox/` controls). */
  get sandboxUrl(): string {
    const sandbox = this.ts.service.sandbox;
    if (!sandbox) throw new Error('the test service runs without the sandbox');
    return sandbox.url;
  }

  /** A fresh context and page whose console errors and page errors are recorded. */
  async visitor(): Promise<Visitor> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
    this.contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push({ kind: 'console', text: message.text(), url: page.url() });
    });
    page.on('pageerror', (error) => this.problems.push({ kind: 'pageerror', text: String(error), url: page.url() }));
    return { context, page };
  }

  /**
   * Console errors and uncaught exceptions recorded on the storefront's own pages since the last
   * call. The sandbox's hosted provider pages are not ours: their 404 favicon and the 402 of a
   * declined card (as Stripe answers) are dropped.
   */
  takeProblems(): PageProblem[] {
    const origin = new URL(this.url).origin;
    return this.problems.splice(0).filter((p) => !URL.canParse(p.url) || new URL(p.url).origin === origin || p.kind === 'pageerror');
  }

  /** Saves a full-page screenshot as test-artifacts/browser/<name>.png. */
  async screenshot(page: Page, name: string): Promise<string> {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const file = path.join(ARTIFACTS_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** POSTs to a `/__sandbox/` control (hold/release webhooks, expire a session, …). */
  async sandboxControl(controlPath: string, body: Record<string, unknown> = {}): Promise<any> {
    const res = await fetch(`${this.sandboxUrl}/__sandbox/${controlPath.replace(/^\//, '')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sandbox control ${controlPath} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  /**
   * Waits until `count` pages are really subscribed to the order on the server (graphql-ws has
   * no subscribe acknowledgement), so a status change made next is certainly seen live.
   */
  async waitForSubscribers(orderId: string, count = 1): Promise<void> {
    const { pubSub } = this.ts.service.services;
    await eventually(async () => pubSub.subscriberCount(orderId) >= count, `${count} live subscriber(s) on order ${orderId}`);
  }

  /** Closes every context opened so far (their WebSockets too), so nothing outlives a test. */
  async closeContexts(): Promise<void> {
    await Promise.all(this.contexts.splice(0).map((c) => c.close()));
  }

  /** Closes pages first (sockets end cleanly), then the browser, then the service. */
  async close(): Promise<void> {
    try {
      await this.closeContexts();
      await this.browser.close();
    } finally {
      await this.ts.close();
    }
  }
}

/** Adds `count` of a product to the cart from the catalog page. */
export async function addToCart(page: Page, sku: string, count = 1): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await page.locator(`button[data-testid="add-to-cart"][data-sku="${sku}"]`).click();
  }
}

/** Opens the shop, puts the given products in the cart and waits for the checkout to show. */
export async function fillCart(page: Page, baseUrl: string, items: Record<string, number>, email = 'buyer@example.com'): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.locator('[data-testid="product"]').first().waitFor();
  for (const [sku, count] of Object.entries(items)) await addToCart(page, sku, count);
  await page.locator('#checkout').waitFor();
  await page.fill('#email', email);
}

/** The order id shown on /order.html (read from the page's own URL). */
export function orderIdOf(page: Page): string {
  const id = new URL(page.url()).searchParams.get('id');
  if (!id) throw new Error(`not on an order page: ${page.url()}`);
  return id;
}

/** Waits until the order page's status badge shows `status`. */
export async function expectOrderStatus(page: Page, status: string, timeout = 10_000): Promise<void> {
  await page.locator(`[data-testid="order-status"][data-status="${status}"]`).waitFor({ timeout });
}

/** Fills and submits the sandbox's hosted Stripe Checkout form. */
export async function payOnStripeCheckout(page: Page, cardNumber: string): Promise<void> {
  await page.fill('#card_number', cardNumber);
  await page.fill('#exp', '12/34');
  await page.fill('#cvc', '123');
  await page.click('button[name="action"][value="pay"]');
}

/**
 * Registers the per-file browser lifecycle (one browser and service per file; after each test
 * its contexts are closed and no console or page error may have happened) and returns the suite.
 * `beforeEachCheck` runs first after every test, e.g. to release held webhooks.
 */
export function useBrowserSuite(beforeEachCheck?: (suite: BrowserSuite) => Promise<void>): BrowserSuite {
  let current: BrowserSuite | undefined;
  beforeAll(async () => {
    current = await BrowserSuite.start();
  });
  afterEach(async () => {
    if (!current) return;
    await beforeEachCheck?.(current);
    await current.closeContexts();
    expect(current.takeProblems()).toEqual([]);
  });
  afterAll(async () => {
    await current?.close();
  });
  // Tests read the suite at run time, after beforeAll has started it.
  return new Proxy({} as BrowserSuite, {
    get(_target, property) {
      if (!current) throw new Error('the browser suite is used before beforeAll started it');
      const value = Reflect.get(current, property, current) as unknown;
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}

/** The trimmed text of the element with `data-testid`. */
export async function textOf(page: Page, testId: string): Promise<string> {
  return (await page.locator(`[data-testid="${testId}"]`).textContent())?.trim() ?? '';
}
