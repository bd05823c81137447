import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from './endpoint-url';
import { firstLineOf } from '../domain/errors';

/** Resolves a host name to its addresses (injectable: tests stand in for DNS). */
export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

export const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/** What one attempt ended in. */
export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** The first {@link BODY_LIMIT} characters of the answer. */
  responseBody: string | null;
}

export const BODY_LIMIT = 1024;

export interface SendOptions {
  timeoutMs: number;
  /** Production: refuse every private or loopback address, whatever DNS says. */
  publicOnly: boolean;
  resolve: Resolve;
}

/**
 * POSTs one signed message. The address is resolved and checked inside the connection's own
 * lookup, so the socket goes exactly to the address that was checked (no second resolution that
 * DNS could point inside). Only a 2xx answer counts; redirects are not followed.
 */
export async function postWebhook(url: string, headers: Record<string, string>, body: string, options: SendOptions): Promise<AttemptOutcome> {
  const began = Date.now();
  const done = (outcome: Omit<AttemptOutcome, 'durationMs'>): AttemptOutcome => ({ ...outcome, durationMs: Date.now() - began });
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (options.publicOnly && isIP(host) !== 0 && isPrivateAddress(host)) {
    return done({ ok: false, statusCode: null, error: `refused: ${host} is a private or loopback address`, responseBody: null });
  }
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    options.resolve(hostname).then(
      (addresses) => {
        const usable = addresses.filter((a) => !lookupOptions.family || a.family === lookupOptions.family);
        const forbidden = options.publicOnly ? usable.find((a) => isPrivateAddress(a.address)) : undefined;
        if (forbidden) return callback(new Error(`refused: ${hostname} resolves to ${forbidden.address}, a private or loopback address`), '', 0);
        if (usable.length === 0) return callback(new Error(`${hostname} did not resolve`), '', 0);
        if (lookupOptions.all) return (callback as unknown as (e: null, a: typeof usable) => void)(null, usable);
        callback(null, usable[0].address, usable[0].family);
      },
      (error: Error) => callback(error, '', 0),
    );
  };
  const requestOptions: RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'payments-api-webhooks/1' },
    signal: AbortSignal.timeout(options.timeoutMs),
    lookup,
  };
  return new Promise((resolve) => {
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, requestOptions, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < BODY_LIMIT) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8').slice(0, BODY_LIMIT);
        resolve(done({ ok: status >= 200 && status < 300, statusCode: status, error: status >= 200 && status < 300 ? null : `HTTP ${status}`, responseBody: text || null }));
      });
      res.on('error', (error) => resolve(done({ ok: false, statusCode: res.statusCode ?? null, error: describe(error, options.timeoutMs), responseBody: null })));
    });
    req.on('error', (error) => resolve(done({ ok: false, statusCode: null, error: describe(error, options.timeoutMs), responseBody: null })));
    req.end(body);
  });
}

function describe(error: Error, timeoutMs: number): string {
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  return firstLineOf(error).slice(0, 500);
}
