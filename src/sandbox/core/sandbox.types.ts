import type { Router } from 'express';

/** Which emulated provider a request, fault or webhook belongs to. */
export type SandboxProvider = 'stripe' | 'paypal';

/** Options for {@link startSandbox}. Everything has a test-friendly default. */
export interface SandboxOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  stripe: {
    /** Where signed Stripe webhooks are POSTed; undefined = webhooks are recorded but not sent. */
    webhookUrl?: string;
    /** `whsec_…` used to sign `Stripe-Signature`. */
    webhookSecret: string;
  };
  paypal: {
    webhookUrl?: string;
    /** The webhook subscription id that goes into the signed message. */
    webhookId: string;
    /** Credentials the OAuth endpoint accepts. */
    clientId: string;
    clientSecret: string;
  };
  /** Delays in ms between webhook delivery attempts; its length is the number of retries. */
  webhookRetryDelaysMs?: number[];
  /** A delivery attempt that takes longer than this counts as failed. */
  webhookTimeoutMs?: number;
  /** Seconds until a PayPal access token expires (default 32400). */
  paypalTokenTtlSeconds?: number;
  /** Log function for the sandbox's own diagnostics; defaults to silent. */
  log?: (msg: string, data?: Record<string, unknown>) => void;
}

/** A running sandbox. `close()` stops the server and cancels pending webhook retries. */
export interface RunningSandbox {
  /** e.g. `http://127.0.0.1:4010` */
  readonly url: string;
  readonly port: number;
  /** Webhook targets may be set after start (the API's port may be known only later). */
  setWebhookUrls(urls: { stripe?: string; paypal?: string }): void;
  /** Resolves when no webhook delivery is pending or in flight. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** One webhook to deliver; `sign` is called for every attempt (Stripe re-signs each retry with a fresh timestamp). */
export interface WebhookJob {
  provider: SandboxProvider;
  /** Provider event id (`evt_…`, `WH-…`). */
  eventId: string;
  eventType: string;
  /** Exact bytes posted. */
  body: string;
  sign(body: string): Record<string, string>;
}

/** The record of one delivered (or attempted) webhook, exposed by the controls. */
export interface DeliveryRecord {
  provider: SandboxProvider;
  eventId: string;
  eventType: string;
  attempts: { at: string; status: number | 'timeout' | 'error'; durationMs: number; error?: string }[];
  delivered: boolean;
  /** Where it was (or would have been) sent; undefined when no webhook URL was configured. */
  url?: string;
}

/** Shared services each provider's router gets from the sandbox core. */
export interface SandboxContext {
  readonly options: SandboxOptions;
  /** Public base URL of the sandbox (for hosted-page links, cert URLs). */
  baseUrl(): string;
  webhooks: {
    /** Queue a webhook for at-least-once delivery with retries. */
    enqueue(job: WebhookJob): void;
  };
  log(msg: string, data?: Record<string, unknown>): void;
}

/** What a provider module contributes: its API/page router and its test controls. */
export interface ProviderModule {
  /** Mounted at `/` (Stripe serves `/v1/...` and `/stripe/...` pages; PayPal serves `/v1/oauth2`, `/v1/notifications`, `/v2/...` and `/paypal/...` pages). */
  router: Router;
  /** Mounted at `/__sandbox/<provider>/`. */
  controls: Router;
  /** Optional: cancel the module's own timers when the sandbox closes. */
  close?(): void;
}

export type ProviderModuleFactory = (ctx: SandboxContext) => ProviderModule;
