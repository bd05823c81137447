import { BlockList, isIP } from 'node:net';
import { BadUserInputError } from '../domain/errors';

/** Addresses an outbound webhook may never reach in production: loopback, private, link-local, CGNAT, unspecified, multicast. */
const FORBIDDEN = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) FORBIDDEN.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) FORBIDDEN.addSubnet(net, prefix, 'ipv6');

/** True for an address outside the public internet (an IPv4-mapped IPv6 address is judged as its IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return FORBIDDEN.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Checks an endpoint URL when it is registered (the address is checked again at every delivery,
 * after DNS). Production: https only, no credentials, no private or loopback literal address, no
 * `localhost`. Elsewhere plain http and local addresses are accepted, for local development.
 */
export function validateEndpointUrl(value: string, production: boolean): string {
  const field = 'url';
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) throw new BadUserInputError('url must be an absolute https:// URL of at most 2048 characters', field);
  if (/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(value)) throw new BadUserInputError('url must not contain spaces or control characters', field);
  if (!URL.canParse(value)) throw new BadUserInputError(`url '${value.slice(0, 100)}' is not an absolute URL`, field);
  const url = new URL(value);
  if (url.username || url.password) throw new BadUserInputError('url must not contain credentials', field);
  if (url.hash) throw new BadUserInputError('url must not contain a #fragment', field);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !production)) {
    throw new BadUserInputError(production ? 'url must use https://' : 'url must use https:// (or http:// outside production)', field);
  }
  if (production) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isPrivateAddress(host))) {
      throw new BadUserInputError(`url must reach a public address; ${url.hostname} is loopback or private`, field);
    }
  }
  return url.href;
}

/** Checks the subscribed event types against the documented list; `*` means all. */
export function validateEventTypes(events: string[], known: readonly string[]): string[] {
  if (!Array.isArray(events) || events.length === 0) throw new BadUserInputError('events must list at least one event type (or "*" for all)', 'events');
  const unknown = events.filter((e) => e !== '*' && !known.includes(e));
  if (unknown.length > 0) throw new BadUserInputError(`events: unknown event type(s) ${unknown.map((e) => `'${e.slice(0, 50)}'`).join(', ')}; known: ${known.join(', ')}`, 'events');
  return [...new Set(events)];
}
