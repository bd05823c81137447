import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isPrivateAddress, validateEndpointUrl, validateEventTypes } from '../../src/outbound-webhooks/endpoint-url';
import { eventTypesOf, OUTBOUND_EVENT_TYPES, subscribes } from '../../src/outbound-webhooks/event-types';
import { OrderStatus } from '../../src/model/order-status';
import type { OutboxChange } from '../../src/outbox/outbox.store';

const change = (type: string, toStatus: OrderStatus | null = null): OutboxChange => ({
  sequence: 7, orderId: 'o', type, fromStatus: null, toStatus, source: 'test', message: null, at: new Date(0),
});

describe('outbound webhook rules', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fc00::1', 'fd12::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip'])(
    '%s is not a public address',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );

  it.each(['8.8.8.8', '172.32.0.1', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is a public address', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('accepts https to a public host in production, and http or local addresses only outside it', () => {
    expect(validateEndpointUrl('https://merchant.example/hooks?x=1', true)).toBe('https://merchant.example/hooks?x=1');
    expect(validateEndpointUrl('http://127.0.0.1:3000/hooks', false)).toBe('http://127.0.0.1:3000/hooks');
    for (const url of ['http://merchant.example/hooks', 'https://127.0.0.1/x', 'https://[::1]/x', 'https://10.0.0.1/x', 'https://localhost/x', 'https://a.localhost/x', 'https://u:p@merchant.example/x']) {
      expect(() => validateEndpointUrl(url, true)).toThrow(/url/);
    }
    for (const url of ['ftp://merchant.example/x', 'not a url', '', 'https://merchant.example/x#frag', ' https://merchant.example/x']) {
      expect(() => validateEndpointUrl(url, false)).toThrow(/url/);
    }
  });

  it('sends a status change as order.status_changed and its specific type, and facts as their own', () => {
    expect(eventTypesOf(change('STATUS_CHANGED', OrderStatus.PAID))).toEqual(['order.status_changed', 'order.paid']);
    expect(eventTypesOf(change('STATUS_CHANGED', OrderStatus.PARTIALLY_REFUNDED))).toEqual(['order.status_changed', 'order.refunded']);
    expect(eventTypesOf(change('STATUS_CHANGED', OrderStatus.PENDING))).toEqual(['order.status_changed']);
    expect(eventTypesOf(change('PAYMENT_FAILED'))).toEqual(['payment.failed']);
    expect(eventTypesOf(change('DISPUTE_WON'))).toEqual(['dispute.updated']);
    expect(eventTypesOf(change('PAYMENT_STARTED'))).toEqual([]);
    for (const types of [eventTypesOf(change('STATUS_CHANGED', OrderStatus.DISPUTED)), eventTypesOf(change('REFUND_FAILED'))]) {
      for (const type of types) expect(Object.keys(OUTBOUND_EVENT_TYPES)).toContain(type);
    }
  });

  it('matches subscriptions, "*" for all, and refuses unknown types by name', () => {
    expect(subscribes(['*'], 'order.paid')).toBe(true);
    expect(subscribes(['order.refunded'], 'order.paid')).toBe(false);
    expect(validateEventTypes(['order.paid', 'order.paid', '*'], Object.keys(OUTBOUND_EVENT_TYPES))).toEqual(['order.paid', '*']);
    expect(() => validateEventTypes([], Object.keys(OUTBOUND_EVENT_TYPES))).toThrow(/at least one/);
    expect(() => validateEventTypes(['order.shipped'], Object.keys(OUTBOUND_EVENT_TYPES))).toThrow(/'order.shipped'/);
  });

  it('the README documents every event type', () => {
    const readme = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const type of Object.keys(OUTBOUND_EVENT_TYPES)) expect(readme).toContain(`| \`${type}\` |`);
  });
});
